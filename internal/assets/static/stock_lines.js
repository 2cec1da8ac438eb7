// The stock documents' lines: batch and expiry are asked only for items that
// track them. Without JavaScript every line shows both inputs and the server
// ignores what an item does not track; with it, choosing an item hides the
// inputs it does not need (the item's <option> carries data-batch and
// data-expiry from the catalogue). Rows added by rows.js are handled too,
// since the listener sits on the group.
(function () {
  "use strict";
  function sync(row) {
    var sel = row.querySelector("[data-item-select]");
    if (!sel) { return; }
    var opt = sel.options[sel.selectedIndex];
    var chosen = opt && opt.value !== "";
    [["batch", "data-batch"], ["expiry_bs", "data-expiry"]].forEach(function (c) {
      var cell = row.querySelector('[data-col="' + c[0] + '"]');
      if (!cell) { return; }
      var input = cell.querySelector("input");
      // An input holding a value (a refused form shown again) stays visible.
      var keep = !chosen || opt.hasAttribute(c[1]) || (input && input.value !== "");
      cell.hidden = !keep;
    });
  }
  document.querySelectorAll("[data-stock-lines]").forEach(function (group) {
    group.querySelectorAll("[data-row]").forEach(sync);
    group.addEventListener("change", function (e) {
      if (e.target.matches("[data-item-select]")) { sync(e.target.closest("[data-row]")); }
    });
    // A row added by rows.js is a copy of the last one, cleared: show its
    // inputs again until an item is chosen.
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        r.addedNodes.forEach(function (n) { if (n.nodeType === 1 && n.matches("[data-row]")) { sync(n); } });
      });
    }).observe(group, { childList: true });
  });
})();
