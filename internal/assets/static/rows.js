// Add and remove rows of a repeated group (household members, harms, relief
// items) on the distribution form. Without JavaScript the form offers a few
// blank rows and empty rows are ignored on save; with it, "add" copies the
// last row with its inputs cleared and "remove" takes a row out.
(function () {
  "use strict";
  function clear(row) {
    row.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (el.tagName === "SELECT") { el.selectedIndex = 0; } else { el.value = ""; }
      el.classList.remove("invalid");
      el.removeAttribute("aria-invalid");
    });
    row.querySelectorAll(".field-error").forEach(function (p) { p.remove(); });
  }
  document.querySelectorAll("[data-rows]").forEach(function (group) {
    var name = group.getAttribute("data-rows");
    var add = document.querySelector('[data-add-row="' + name + '"]');
    group.addEventListener("click", function (e) {
      var btn = e.target.closest("[data-remove-row]");
      if (!btn) { return; }
      var row = btn.closest("[data-row]");
      if (group.querySelectorAll("[data-row]").length > 1) { row.remove(); } else { clear(row); }
    });
    group.querySelectorAll("[data-remove-row]").forEach(function (b) { b.hidden = false; });
    if (!add) { return; }
    add.hidden = false;
    add.addEventListener("click", function () {
      var rows = group.querySelectorAll("[data-row]");
      var copy = rows[rows.length - 1].cloneNode(true);
      clear(copy);
      group.appendChild(copy);
      var first = copy.querySelector("input, select");
      if (first) { first.focus(); }
    });
  });
})();
