// The distribution form's behaviour: (a) add and remove rows of a repeated
// group, (b) prefill the household from the social-security register.
//
// (a) Rows of a repeated group (household members, harms, relief items). Without JavaScript the form offers a few
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

// (b) "Find in the social-security register": the lookup API finds
// beneficiaries by ID number, phone or name; choosing one fills the
// household head, ward, tole, bank and allowance fields and, when the
// allowance is a vulnerable one, shows the "vulnerable household" notice.
// The control is hidden until this runs; the texts come from its data-msg-*
// attributes (the catalogs), and every element is built with textContent.
(function () {
  "use strict";
  var box = document.querySelector("[data-ssf-lookup]");
  if (!box || !window.leoc || !window.leoc.api) { return; }
  var form = box.closest("form");
  var input = box.querySelector("[data-ssf-q]");
  var find = box.querySelector("[data-ssf-find]");
  var results = box.querySelector("[data-ssf-results]");
  var notice = box.querySelector("[data-ssf-notice]");
  function msg(name) { return box.getAttribute("data-msg-" + name) || ""; }
  function field(name) { return form.querySelector('[name="' + name + '"]'); }
  // optionLabel is the text of the select's option with this value, or "".
  function optionLabel(name, value) {
    var sel = field(name);
    if (!sel || value === "" || value === null || value === undefined) { return ""; }
    var v = String(value);
    for (var i = 0; i < sel.options.length; i++) {
      if (sel.options[i].value === v) { return sel.options[i].textContent.trim(); }
    }
    return "";
  }
  function say(text) {
    results.replaceChildren();
    if (text) {
      var p = document.createElement("p");
      p.className = "hint";
      p.textContent = text;
      results.appendChild(p);
    }
  }
  function set(name, value) {
    var el = field(name);
    if (!el || value === null || value === undefined || value === "") { return; }
    var v = String(value);
    if (el.tagName === "SELECT" && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) {
      return; // a ward this user may not write, an allowance removed meanwhile
    }
    el.value = v;
    el.classList.remove("invalid");
    el.removeAttribute("aria-invalid");
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function choose(b) {
    set("household_name", b.name);
    set("household_id", b.id_number);
    set("phone", b.phone);
    set("ward", b.ward);
    set("tole", b.tole);
    set("bank_account_holder", b.bank_account_holder);
    set("bank_account_number", b.bank_account_number);
    set("bank_name", b.bank_name);
    set("allowance_type", b.allowance_type);
    var enrolled = field("ssf_enrolled");
    if (enrolled) { enrolled.checked = true; }
    var label = optionLabel("allowance_type", b.allowance_type) || b.allowance_type;
    notice.textContent = b.vulnerable ? msg("vulnerable").replace("{allowance}", label) : "";
    notice.classList.toggle("hidden", !b.vulnerable);
    say(msg("filled"));
  }
  function show(items) {
    results.replaceChildren();
    if (!items.length) { say(msg("none")); return; }
    var list = document.createElement("ul");
    list.className = "ssf-matches";
    items.forEach(function (b) {
      var li = document.createElement("li");
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "btn btn-small btn-secondary";
      btn.setAttribute("data-ssf-choose", String(b.id));
      var ward = optionLabel("ward", b.ward) || "#" + b.ward;
      btn.textContent = [b.name, b.id_number, optionLabel("allowance_type", b.allowance_type) || b.allowance_type, ward].join(" · ");
      btn.addEventListener("click", function () { choose(b); });
      li.appendChild(btn);
      list.appendChild(li);
    });
    results.appendChild(list);
  }
  var seq = 0;
  function search() {
    var q = input.value.trim();
    if (!q) { input.focus(); return; }
    var mine = ++seq;
    find.disabled = true;
    window.leoc.api("GET", "/api/v1/ssf-beneficiaries/lookup?q=" + encodeURIComponent(q)).then(function (data) {
      if (mine === seq) { show((data && data.items) || []); }
    }, function () {
      if (mine === seq) { say(msg("error")); }
    }).then(function () { find.disabled = false; });
  }
  find.addEventListener("click", search);
  // Enter in the search box searches; it must not submit the distribution.
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter") { e.preventDefault(); search(); }
  });
  box.classList.remove("hidden");
})();
