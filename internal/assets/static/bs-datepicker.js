// Bikram Sambat date picker for <input data-bs-date>; see docs/datepicker.md.
// Load on every page with <script defer src="{{asset "bs-datepicker.js"}}">
// after app.js. Month lengths, names and messages come from
// GET /api/v1/calendar/table, built from the same table as internal/bs, so no
// calendar data here can drift from the server's. The input stays a plain
// text field: without this script, or offline, people type and the server checks.
(function () {
  'use strict';

  var TABLE_URL = '/api/v1/calendar/table';
  var DAY_MS = 86400000;
  var ZERO = 0x0966; // Devanagari ० … ९ are U+0966 … U+096F, in order

  // ---- Digits and syntax: the same rules as parseYMD in internal/bs ----

  function asciiDigits(s) {
    return String(s).replace(/[\u0966-\u096F]/g, function (c) { return String(c.charCodeAt(0) - ZERO); });
  }
  function devanagariDigits(s) {
    return String(s).replace(/[0-9]/g, function (c) { return String.fromCharCode(ZERO + Number(c)); });
  }
  function pad(n, width) { return ('000' + n).slice(-width); }
  function iso(y, m, d) { return pad(y, 4) + '-' + pad(m, 2) + '-' + pad(d, 2); }

  // A 4-digit year, then a 1–2 digit month and day, both separators the same.
  var DATE_SHAPE = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/;
  // The start of a date someone is still typing: not worth an error yet.
  var DATE_PREFIX = /^\d{0,3}$|^\d{4}([-/]\d{0,2})?$|^\d{4}([-/])\d{1,2}\2$/;

  function splitDate(s) {
    var p = DATE_SHAPE.exec(asciiDigits(s).trim());
    return p && { y: Number(p[1]), m: Number(p[3]), d: Number(p[4]) };
  }

  // ---- Conversion core: no DOM, so it can be checked outside a browser ----

  function makeCalendar(table) {
    var first = table.first_year, years = table.last_year - first + 1;
    var anchor = /^(\d{4})-(\d{2})-(\d{2})$/.exec(table.first_ad || '');
    if (!(years > 0) || !anchor || !Array.isArray(table.months) || table.months.length !== years) {
      throw new Error('bs: malformed calendar table');
    }
    // monthStart[i*12+m] is the day number (days since 1970-01-01, as
    // Calendar.monthStart in Go) of month m+1 of year first+i; one more entry
    // ends the table. Built once, so conversions and grids are array reads.
    var monthStart = new Int32Array(years * 12 + 1);
    var day = Date.UTC(Number(anchor[1]), Number(anchor[2]) - 1, Number(anchor[3])) / DAY_MS;
    for (var i = 0; i < years * 12; i++) {
      var len = table.months[Math.floor(i / 12)][i % 12];
      if (!(len >= 29 && len <= 32)) throw new Error('bs: bad month length in ' + (first + Math.floor(i / 12)));
      monthStart[i] = day;
      day += len;
    }
    monthStart[years * 12] = day;

    function monthLen(y, m) { var k = (y - first) * 12 + m - 1; return monthStart[k + 1] - monthStart[k]; }
    function dayNumber(y, m, d) { return monthStart[(y - first) * 12 + m - 1] + d - 1; }

    // The checks of Calendar.Validate, in its order, so browser and server
    // name the same problem: '' (fine), 'invalid' or 'out_of_range'.
    function check(y, m, d) {
      if (m < 1 || m > 12 || d < 1 || d > 32) return 'invalid';
      if (y < first || y >= first + years) return 'out_of_range';
      return d > monthLen(y, m) ? 'invalid' : '';
    }

    // Inverse of dayNumber, the search of fromDayNumber in Go: dividing by the
    // longest year (month) gives an index at most a few steps too low.
    function fromDayNumber(z) {
      if (!(z >= monthStart[0] && z < monthStart[years * 12])) return null;
      var y = Math.floor((z - monthStart[0]) / 366);
      while (y + 1 < years && z >= monthStart[(y + 1) * 12]) y++;
      var base = y * 12, m = Math.floor((z - monthStart[base]) / 32);
      while (m < 11 && z >= monthStart[base + m + 1]) m++;
      return { y: first + y, m: m + 1, d: z - monthStart[base + m] + 1 };
    }

    // {y, m, d, error}; error is 'syntax', 'invalid', 'out_of_range' or ''.
    function parse(s) {
      var p = splitDate(s);
      if (p) p.error = check(p.y, p.m, p.d);
      return p || { error: 'syntax' };
    }

    return {
      firstYear: first, lastYear: first + years - 1, officialThrough: table.official_through || 0,
      parse: parse, dayNumber: dayNumber, fromDayNumber: fromDayNumber,
      daysInMonth: function (y, m) { return check(y, m, 1) ? null : monthLen(y, m); },
      // 0 = Sunday; 1970-01-01 was a Thursday.
      weekday: function (y, m, d) { return ((dayNumber(y, m, d) + 4) % 7 + 7) % 7; },
      toAD: function (s) {
        var p = parse(s);
        if (p.error) return null;
        var t = new Date(dayNumber(p.y, p.m, p.d) * DAY_MS);
        return iso(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
      },
      fromAD: function (s) {
        var p = splitDate(s);
        var t = p && new Date(Date.UTC(p.y, p.m - 1, p.d));
        // Date.UTC rolls 02-30 over into March and maps years < 100 to 19xx:
        // a date that does not come back unchanged does not exist.
        if (!p || t.getUTCFullYear() !== p.y || t.getUTCMonth() !== p.m - 1 || t.getUTCDate() !== p.d) return null;
        var b = fromDayNumber(t.getTime() / DAY_MS);
        return b && iso(b.y, b.m, b.d);
      }
    };
  }

  // ---- Page state ----

  var lang = /^ne\b/i.test(document.documentElement.lang || '') ? 'ne' : 'en';
  var table = null;   // the server's JSON, once loaded
  var cal = null;     // makeCalendar(table)
  var loading = null; // the one fetch shared by every field
  var fields = [];    // {input, wrap, button, hint, error} per enhanced input
  var picker = null;  // the one popup, moved into whichever field opened it

  function num(s) { return lang === 'ne' ? devanagariDigits(s) : String(s); }
  function text(key) {
    var all = table.messages || {};
    return (all[lang] && all[lang][key]) || (all.en && all.en[key]) || '';
  }
  function names(kind) { return (table[kind] && (table[kind][lang] || table[kind].en)) || []; }
  // DOM from createElement and textContent only: names and messages never
  // go through an HTML parser.
  function make(tag, className, content, attributes) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
    for (var name in attributes) node.setAttribute(name, attributes[name]);
    return node;
  }

  function load() {
    if (!loading) {
      loading = Promise.resolve().then(function () {
        return fetch(TABLE_URL, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      }).then(function (response) {
        if (!response.ok) throw new Error('calendar table: HTTP ' + response.status);
        return response.json();
      }).then(function (data) {
        cal = makeCalendar(data);
        table = data;
        fields.forEach(activate);
        return cal;
      });
      // Offline or logged out: typing still works and the server validates.
      // Forget the failure so that the next focus on a date field retries.
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  // ---- Checking typed text ----

  function showError(field, message) {
    field.input.classList.toggle('invalid', Boolean(message));
    field.input[message ? 'setAttribute' : 'removeAttribute']('aria-invalid', 'true');
    field.error.textContent = message;
    field.error.hidden = !message;
  }

  function showHint(field, date) {
    field.hint.textContent = '';
    field.hint.hidden = !date;
    if (!date) return;
    var prefix = text('ad_prefix') || (lang === 'ne' ? 'ई.सं.' : 'AD');
    field.hint.appendChild(document.createTextNode(prefix + ' ' + num(cal.toAD(iso(date.y, date.m, date.d)))));
    if (date.y > cal.officialThrough) field.hint.appendChild(provisionalMark());
  }

  // Its only visible content is the CSS ⚠, hence role=img with a label.
  function provisionalMark() {
    var message = text('provisional');
    return make('span', 'warn-provisional', undefined, { role: 'img', 'aria-label': message, title: message });
  }

  // mode 'typing': no error for a date still being typed; 'initial': the hint
  // only, since the server has already marked what it refused; 'full': all.
  function validate(field, mode) {
    if (!cal) return true;
    var value = field.input.value.trim();
    var p = value ? cal.parse(value) : null;
    var problem = p && p.error ? (p.error === 'out_of_range' ? 'out_of_range' : 'invalid') : '';
    var typing = problem && mode === 'typing' && DATE_PREFIX.test(asciiDigits(value));
    showHint(field, problem ? null : p);
    if (mode !== 'initial') showError(field, problem && !typing ? text(problem) : '');
    return !problem;
  }

  // ---- Enhancing the inputs ----

  function enhance(input, index) {
    if (input.bsField) return;
    var base = input.id || 'bs-date-' + index;
    var field = input.bsField = {
      input: input,
      wrap: make('span', 'bs-date-field'),
      button: button('bs-picker-button', undefined, '', { 'aria-haspopup': 'dialog', 'aria-expanded': 'false' }),
      hint: make('span', 'bs-ad-hint', undefined, { id: base + '-ad' }),
      error: make('span', 'field-error bs-error', undefined, { id: base + '-error' })
    };
    input.parentNode.insertBefore(field.wrap, input);
    field.wrap.append(input, field.button);
    field.wrap.after(field.hint, field.error);
    // Hidden until the table, with the button's label, has arrived.
    field.button.hidden = field.hint.hidden = field.error.hidden = true;
    var described = input.getAttribute('aria-describedby');
    input.setAttribute('aria-describedby', (described ? described + ' ' : '') + field.hint.id + ' ' + field.error.id);

    input.addEventListener('input', function () { validate(field, 'typing'); });
    input.addEventListener('blur', function () { validate(field, 'full'); });
    input.addEventListener('focus', function () { load().catch(function () {}); });
    field.button.addEventListener('click', function () {
      if (isOpen() && picker.field === field) close(true);
      else open(field);
    });
    fields.push(field);
  }

  function activate(field) {
    field.button.setAttribute('aria-label', text('open'));
    field.button.title = text('open');
    field.button.hidden = false;
    validate(field, 'initial');
  }

  // ---- The popup ----

  function button(className, content, label, attributes) {
    var b = make('button', className, content, attributes);
    b.type = 'button';
    if (label) { b.setAttribute('aria-label', label); b.title = label; }
    return b;
  }

  function select(className, label, from, to, labelOf) {
    var s = make('select', className, undefined, label ? { 'aria-label': label } : {});
    for (var v = from; v <= to; v++) s.appendChild(make('option', '', labelOf(v), { value: String(v) }));
    return s;
  }

  function group(className) {
    var div = make('div', className);
    div.append.apply(div, Array.prototype.slice.call(arguments, 1));
    return div;
  }

  function buildPicker() {
    // tabindex -1: a click on plain popup text keeps the focus inside.
    var p = { el: make('div', 'bs-picker', undefined, { role: 'dialog', 'aria-labelledby': 'bs-picker-title', tabindex: '-1' }) };
    p.el.hidden = true;
    var months = names('month_names');
    p.prev = button('bs-nav bs-prev', '‹', text('prev'));
    p.next = button('bs-nav bs-next', '›', text('next'));
    p.title = make('span', 'bs-picker-title', '', { id: 'bs-picker-title', 'aria-live': 'polite' });
    p.mark = provisionalMark();
    // 'year' and 'month' labels are used if the server sends them.
    p.year = select('bs-year', text('year'), cal.firstYear, cal.lastYear, num);
    p.month = select('bs-month', text('month'), 1, 12, function (m) { return months[m - 1]; });
    p.grid = make('table', 'bs-grid');
    var headRow = p.grid.createTHead().insertRow();
    names('weekday_names').forEach(function (name, i) {
      headRow.appendChild(make('th', i === 6 ? 'bs-sat' : '', name, { scope: 'col' }));
    });
    p.body = p.grid.createTBody();
    p.today = button('btn btn-secondary bs-today-button', text('today'));
    p.close = button('btn bs-close', text('close'));
    p.el.append(group('bs-picker-head', p.prev, p.title, p.mark, p.next),
      group('bs-picker-selects', p.year, p.month), p.grid, group('bs-picker-foot', p.today, p.close));

    p.prev.addEventListener('click', function () { shiftMonth(-1); });
    p.next.addEventListener('click', function () { shiftMonth(1); });
    p.year.addEventListener('change', function () { renderMonth(Number(p.year.value), p.m, p.focus); });
    p.month.addEventListener('change', function () { renderMonth(p.y, Number(p.month.value), p.focus); });
    p.today.addEventListener('click', function () {
      var t = cal.parse(table.today || '');
      if (!t.error) pick(t.y, t.m, t.d);
    });
    p.close.addEventListener('click', function () { close(true); });
    p.el.addEventListener('click', function (event) {
      var day = event.target.closest('.bs-day');
      if (day) pick(p.y, p.m, Number(day.getAttribute('data-day')));
      // Inside a <label>, a click on plain popup text would focus the input.
      else if (!event.target.closest('button, select')) event.preventDefault();
    });
    p.el.addEventListener('keydown', onPickerKey);
    return p;
  }

  function same(date, y, m, d) { return !date.error && date.y === y && date.m === m && (!d || date.d === d); }

  // Builds month m of year y into the popup; day focusDay (else the selected
  // date, today or the 1st) gets the roving tabindex. About 50 elements.
  function renderMonth(y, m, focusDay) {
    var p = picker;
    y = Math.min(Math.max(y, cal.firstYear), cal.lastYear);
    m = Math.min(Math.max(m, 1), 12);
    var len = cal.daysInMonth(y, m);
    var lead = cal.weekday(y, m, 1); // empty cells before the 1st: weeks start on Sunday
    var monthName = names('month_names')[m - 1];
    var selected = cal.parse(picker.field.input.value);
    var today = cal.parse(table.today || '');
    focusDay = focusDay || (same(selected, y, m) ? selected.d : same(today, y, m) ? today.d : 1);
    p.y = y; p.m = m; p.focus = Math.min(focusDay, len);
    p.title.textContent = monthName + ' ' + num(y);
    p.mark.hidden = y <= cal.officialThrough;
    p.year.value = String(y);
    p.month.value = String(m);
    p.prev.disabled = y === cal.firstYear && m === 1;
    p.next.disabled = y === cal.lastYear && m === 12;

    var body = document.createElement('tbody');
    var row = null;
    for (var cell = 0; cell < Math.ceil((lead + len) / 7) * 7; cell++) {
      if (cell % 7 === 0) row = body.insertRow();
      var td = row.insertCell();
      if (cell % 7 === 6) td.className = 'bs-sat'; // Saturday, the weekly holiday
      var d = cell - lead + 1;
      if (d < 1 || d > len) continue;
      var b = button('bs-day', num(d), '', {
        'aria-label': num(d) + ' ' + monthName + ' ' + num(y), 'data-day': String(d), tabindex: d === p.focus ? '0' : '-1'
      });
      if (same(today, y, m, d)) { b.classList.add('bs-today'); b.setAttribute('aria-current', 'date'); }
      if (same(selected, y, m, d)) { b.classList.add('bs-selected'); b.setAttribute('aria-pressed', 'true'); }
      td.appendChild(b);
    }
    p.grid.replaceChild(body, p.body);
    p.body = body;
    return p.grid;
  }

  function focusDay(d) {
    var old = picker.body.querySelector('.bs-day[tabindex="0"]');
    var b = picker.body.querySelector('.bs-day[data-day="' + d + '"]');
    if (!b) return;
    if (old) old.tabIndex = -1;
    b.tabIndex = 0;
    picker.focus = d;
    b.focus();
  }

  function shiftMonth(delta) {
    var index = picker.y * 12 + picker.m - 1 + delta;
    var y = Math.floor(index / 12);
    var m = index % 12 + 1;
    if (y >= cal.firstYear && y <= cal.lastYear) renderMonth(y, m, Math.min(picker.focus, cal.daysInMonth(y, m)));
  }

  // Arrow keys walk the days across month ends: day numbers make that plain
  // arithmetic, stopping at the ends of the table.
  var ARROWS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function onPickerKey(event) {
    var onDay = event.target.classList.contains('bs-day');
    if (event.key === 'Escape') {
      close(true);
    } else if (onDay && ARROWS[event.key]) {
      var t = cal.fromDayNumber(cal.dayNumber(picker.y, picker.m, picker.focus) + ARROWS[event.key]);
      if (t && (t.y !== picker.y || t.m !== picker.m)) renderMonth(t.y, t.m, t.d);
      if (t) focusDay(t.d);
    } else if (onDay && (event.key === 'PageUp' || event.key === 'PageDown')) {
      shiftMonth((event.key === 'PageUp' ? -1 : 1) * (event.shiftKey ? 12 : 1));
      focusDay(picker.focus);
    } else {
      return; // Enter and Space press the focused day's button: a click
    }
    event.preventDefault();
  }

  function open(field) {
    if (!cal) return;
    close(false);
    picker = picker || buildPicker();
    picker.field = field;
    field.wrap.appendChild(picker.el);
    picker.el.hidden = false;
    field.button.setAttribute('aria-expanded', 'true');
    var start = cal.parse(field.input.value);
    if (start.error) start = cal.parse(table.today || '');
    if (start.error) start = { y: Math.min(cal.officialThrough || cal.firstYear, cal.lastYear), m: 1 };
    renderMonth(start.y, start.m);
    place(picker.el);
    focusDay(picker.focus);
  }

  // CSS puts the popup below the input; this only shifts it left when it
  // would stick out of the viewport (a field on the right of a phone screen).
  function place(popup) {
    popup.style.left = '';
    var box = popup.getBoundingClientRect();
    var margin = 8;
    var shift = Math.min(0, document.documentElement.clientWidth - margin - box.right);
    if (box.left + shift < margin) shift = margin - box.left;
    if (shift) popup.style.left = shift + 'px';
    if (popup.scrollIntoView) popup.scrollIntoView({ block: 'nearest' });
  }

  function isOpen() { return Boolean(picker && !picker.el.hidden); }

  function close(returnFocus) {
    if (!isOpen()) return;
    picker.el.hidden = true;
    picker.field.button.setAttribute('aria-expanded', 'false');
    if (returnFocus) picker.field.button.focus();
  }

  function pick(y, m, d) {
    var input = picker.field.input;
    input.value = num(iso(y, m, d)); // the server accepts both digit sets
    close(true);
    // Let this file's check, and any other listener, see the new value.
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  // ---- Page-wide listeners ----

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && isOpen() && picker.field.wrap.contains(event.target)) close(true);
  });

  // A click or tab anywhere outside the field and its popup closes it.
  function closeIfOutside(event) {
    if (isOpen() && !picker.field.wrap.contains(event.target)) close(false);
  }
  document.addEventListener('pointerdown', closeIfOutside);
  document.addEventListener('focusin', closeIfOutside);

  // Capture phase: an invalid date stops the submit before other submit
  // handlers run (so app.js asks no pointless data-confirm question).
  document.addEventListener('submit', function (event) {
    if (!cal) return;
    var firstBad = null;
    fields.forEach(function (field) {
      if (field.input.form !== event.target || field.input.disabled) return;
      if (!validate(field, 'full') && !firstBad) firstBad = field;
    });
    if (!firstBad) return;
    event.preventDefault();
    event.stopPropagation();
    firstBad.input.focus();
  }, true);

  function init() {
    document.querySelectorAll('input[data-bs-date]').forEach(enhance);
    // Fetched at once when the page has a date field, so prefilled values get
    // their AD hint; the browser revalidates the answer with its ETag.
    if (fields.length) load().catch(function () {});
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();

  // ---- For tests and other scripts ----

  var api = {
    makeCalendar: makeCalendar,
    toAD: function (s) { return cal ? cal.toAD(s) : null; },
    fromAD: function (s) { return cal ? cal.fromAD(s) : null; },
    daysInMonth: function (y, m) { return cal ? cal.daysInMonth(y, m) : null; },
    // Into the open popup, opening the first date field's if none is open.
    renderMonth: function (y, m) {
      if (!cal || !fields.length) return null;
      if (!isOpen()) open(fields[0]);
      return renderMonth(y, m);
    }
  };
  // Reading `ready` starts the load if nothing has yet (no date field).
  Object.defineProperty(api, 'ready', { enumerable: true, get: load });
  window.leoc = window.leoc || {};
  window.leoc.bs = api;
})();
