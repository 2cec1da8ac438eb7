// Bikram Sambat date picker for <input data-bs-date>. Load on every page with
// <script defer src="{{asset "bs-datepicker.js"}}"> after app.js; see
// docs/datepicker.md. Month lengths, names and messages all come from
// GET /api/v1/calendar/table, which the server builds from the same table as
// internal/bs, so this file holds no calendar data that could drift from it.
// The input stays a plain text field: without this script, or offline,
// people type the date and the server checks it.
(function () {
  'use strict';

  var TABLE_URL = '/api/v1/calendar/table';
  var DAY_MS = 86400000;
  var DEVANAGARI_ZERO = 0x0966; // ० … ९ are U+0966 … U+096F, in order

  // ---- Digits and syntax: the same rules as parseYMD in internal/bs ----

  function asciiDigits(s) {
    return String(s).replace(/[\u0966-\u096F]/g, function (c) {
      return String(c.charCodeAt(0) - DEVANAGARI_ZERO);
    });
  }

  function devanagariDigits(s) {
    return String(s).replace(/[0-9]/g, function (c) {
      return String.fromCharCode(DEVANAGARI_ZERO + Number(c));
    });
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) s = '0' + s;
    return s;
  }

  function iso(y, m, d) { return pad(y, 4) + '-' + pad(m, 2) + '-' + pad(d, 2); }

  // A 4-digit year, then a 1–2 digit month and day, both separators the same.
  var DATE_SHAPE = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/;
  // Text someone may still be typing towards a date: not worth an error yet.
  var DATE_PREFIX = /^\d{0,3}$|^\d{4}([-/]\d{0,2})?$|^\d{4}([-/])\d{1,2}\2$/;

  function splitDate(s) {
    var p = DATE_SHAPE.exec(asciiDigits(s).trim());
    return p && { y: Number(p[1]), m: Number(p[3]), d: Number(p[4]) };
  }

  // ---- Conversion core: pure, no DOM, so it can be checked outside a browser ----

  function makeCalendar(table) {
    var first = table.first_year;
    var years = table.last_year - first + 1;
    var anchor = /^(\d{4})-(\d{2})-(\d{2})$/.exec(table.first_ad || '');
    if (!(years > 0) || !anchor || !Array.isArray(table.months) || table.months.length !== years) {
      throw new Error('bs: malformed calendar table');
    }
    // monthStart[i*12+m] is the day number (days since 1970-01-01, as in
    // Calendar.monthStart in Go) of month m+1 of year first+i, plus one entry
    // for the day after the table. Built once, so every conversion and every
    // grid is a few array reads.
    var monthStart = new Int32Array(years * 12 + 1);
    var day = Date.UTC(Number(anchor[1]), Number(anchor[2]) - 1, Number(anchor[3])) / DAY_MS;
    for (var i = 0; i < years; i++) {
      for (var m = 0; m < 12; m++) {
        var len = table.months[i] && table.months[i][m];
        if (!(len >= 29 && len <= 32)) throw new Error('bs: bad month length for ' + (first + i));
        monthStart[i * 12 + m] = day;
        day += len;
      }
    }
    monthStart[years * 12] = day;

    function monthLen(y, m) {
      var k = (y - first) * 12 + m - 1;
      return monthStart[k + 1] - monthStart[k];
    }

    // Same order of checks as Calendar.Validate, so browser and server name
    // the same problem: '' (fine), 'invalid' or 'out_of_range'.
    function check(y, m, d) {
      if (m < 1 || m > 12 || d < 1 || d > 32) return 'invalid';
      if (y < first || y >= first + years) return 'out_of_range';
      return d > monthLen(y, m) ? 'invalid' : '';
    }

    function dayNumber(y, m, d) { return monthStart[(y - first) * 12 + m - 1] + d - 1; }

    // Inverse of dayNumber, the same search as fromDayNumber in Go: dividing
    // by the longest year/month gives an index at most a few steps too low.
    function fromDayNumber(z) {
      if (!(z >= monthStart[0] && z < monthStart[years * 12])) return null;
      var y = Math.floor((z - monthStart[0]) / 366);
      while (y + 1 < years && z >= monthStart[(y + 1) * 12]) y++;
      var base = y * 12;
      var mm = Math.floor((z - monthStart[base]) / 32);
      while (mm < 11 && z >= monthStart[base + mm + 1]) mm++;
      return { y: first + y, m: mm + 1, d: z - monthStart[base + mm] + 1 };
    }

    // {y, m, d, error}: error is 'syntax', 'invalid', 'out_of_range' or ''.
    function parse(s) {
      var p = splitDate(s);
      if (!p) return { error: 'syntax' };
      p.error = check(p.y, p.m, p.d);
      return p;
    }

    return {
      firstYear: first,
      lastYear: first + years - 1,
      officialThrough: table.official_through || 0,
      parse: parse,
      dayNumber: dayNumber,
      fromDayNumber: fromDayNumber,
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
        if (!p) return null;
        var t = new Date(Date.UTC(p.y, p.m - 1, p.d));
        // Date.UTC rolls 2025-02-30 over to March (and maps years < 100 to
        // 19xx); a date that does not come back unchanged does not exist.
        if (t.getUTCFullYear() !== p.y || t.getUTCMonth() !== p.m - 1 || t.getUTCDate() !== p.d) return null;
        var b = fromDayNumber(t.getTime() / DAY_MS);
        return b && iso(b.y, b.m, b.d);
      }
    };
  }

  // ---- Page state ----

  var lang = /^ne\b/i.test(document.documentElement.lang || '') ? 'ne' : 'en';
  var table = null;   // the JSON from the server, once loaded
  var cal = null;     // makeCalendar(table)
  var loading = null; // the one fetch shared by all inputs
  var fields = [];    // {input, wrap, button, hint, error}
  var picker = null;  // the single popup, moved to whichever input opened it

  function num(s) { return lang === 'ne' ? devanagariDigits(s) : String(s); }

  function text(key) {
    var all = table.messages || {};
    return (all[lang] && all[lang][key]) || (all.en && all.en[key]) || '';
  }

  function names(kind) { return (table[kind] && (table[kind][lang] || table[kind].en)) || []; }

  function make(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined) node.textContent = content;
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
    if (message) field.input.setAttribute('aria-invalid', 'true');
    else field.input.removeAttribute('aria-invalid');
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

  function provisionalMark() {
    var mark = make('span', 'warn-provisional');
    mark.setAttribute('role', 'img'); // its only visible content is the CSS ⚠
    mark.setAttribute('aria-label', text('provisional'));
    mark.title = text('provisional');
    return mark;
  }

  // mode 'typing': no error for a date still being typed; 'initial': only the
  // hint, because the server has already marked what it refused; 'full': all.
  function validate(field, mode) {
    if (!cal) return true;
    var value = field.input.value.trim();
    var p = value ? cal.parse(value) : null;
    var problem = p && p.error ? (p.error === 'out_of_range' ? 'out_of_range' : 'invalid') : '';
    if (problem && mode === 'typing' && DATE_PREFIX.test(asciiDigits(value))) {
      showHint(field, null);
      showError(field, '');
      return false;
    }
    showHint(field, p && !problem ? p : null);
    if (mode !== 'initial') showError(field, problem ? text(problem) : '');
    return !problem;
  }

  // ---- Enhancing the inputs ----

  var counter = 0;

  function enhance(input) {
    if (input.bsField) return;
    var base = input.id || 'bs-date-' + (++counter);
    var field = {
      input: input,
      wrap: make('span', 'bs-date-field'),
      button: make('button', 'bs-picker-button'),
      hint: make('span', 'bs-ad-hint'),
      error: make('span', 'field-error bs-error')
    };
    input.bsField = field;
    input.parentNode.insertBefore(field.wrap, input);
    field.wrap.appendChild(input);
    field.button.type = 'button';
    field.button.hidden = true; // until the table (and the label text) is here
    field.button.setAttribute('aria-haspopup', 'dialog');
    field.button.setAttribute('aria-expanded', 'false');
    field.wrap.appendChild(field.button);
    field.hint.id = base + '-ad';
    field.error.id = base + '-error';
    field.hint.hidden = field.error.hidden = true;
    field.wrap.parentNode.insertBefore(field.error, field.wrap.nextSibling);
    field.wrap.parentNode.insertBefore(field.hint, field.wrap.nextSibling);
    var described = input.getAttribute('aria-describedby');
    input.setAttribute('aria-describedby', (described ? described + ' ' : '') + field.hint.id + ' ' + field.error.id);

    input.addEventListener('input', function () { validate(field, 'typing'); });
    input.addEventListener('blur', function () { validate(field, 'full'); });
    input.addEventListener('focus', function () { load().catch(function () {}); });
    field.button.addEventListener('click', function () {
      if (picker && !picker.el.hidden && picker.field === field) close(true);
      else open(field);
    });
    fields.push(field);
    if (cal) activate(field);
  }

  function activate(field) {
    field.button.setAttribute('aria-label', text('open'));
    field.button.title = text('open');
    field.button.hidden = false;
    validate(field, 'initial');
  }

  // ---- The popup ----

  function navButton(className, symbol, label) {
    var b = make('button', 'bs-nav ' + className, symbol);
    b.type = 'button';
    b.setAttribute('aria-label', label);
    b.title = label;
    return b;
  }

  function select(className, label, values, labelOf) {
    var s = make('select', className);
    if (label) s.setAttribute('aria-label', label);
    values.forEach(function (v) {
      var o = make('option', '', labelOf(v));
      o.value = String(v);
      s.appendChild(o);
    });
    return s;
  }

  function range(from, to) {
    var out = [];
    for (var v = from; v <= to; v++) out.push(v);
    return out;
  }

  function buildPicker() {
    var p = { el: make('div', 'bs-picker') };
    p.el.id = 'bs-picker';
    p.el.hidden = true;
    p.el.tabIndex = -1;
    p.el.setAttribute('role', 'dialog');
    p.el.setAttribute('aria-labelledby', 'bs-picker-title');

    var head = make('div', 'bs-picker-head');
    p.prev = navButton('bs-prev', '‹', text('prev'));
    p.title = make('span', 'bs-picker-title');
    p.title.id = 'bs-picker-title';
    p.title.setAttribute('aria-live', 'polite');
    p.mark = provisionalMark();
    p.next = navButton('bs-next', '›', text('next'));
    head.append(p.prev, p.title, p.mark, p.next);

    var months = names('month_names');
    var selects = make('div', 'bs-picker-selects');
    p.year = select('bs-year', text('year'), range(cal.firstYear, cal.lastYear), num);
    p.month = select('bs-month', text('month'), range(1, 12), function (m) { return months[m - 1]; });
    selects.append(p.year, p.month);

    p.grid = make('table', 'bs-grid');
    var headRow = p.grid.createTHead().insertRow();
    names('weekday_names').forEach(function (name, i) {
      var th = make('th', i === 6 ? 'bs-sat' : '', name);
      th.scope = 'col';
      headRow.appendChild(th);
    });
    p.body = p.grid.createTBody();

    var foot = make('div', 'bs-picker-foot');
    p.today = make('button', 'btn btn-secondary bs-today-button', text('today'));
    p.close = make('button', 'btn bs-close', text('close'));
    p.today.type = p.close.type = 'button';
    foot.append(p.today, p.close);
    p.el.append(head, selects, p.grid, foot);

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

  // Builds the grid of month m of year y into the popup; focusDay gets the
  // roving tabindex. Under 50 elements, so far below a frame's 16 ms.
  function renderMonth(y, m, focusDay) {
    var p = picker;
    y = Math.min(Math.max(y, cal.firstYear), cal.lastYear);
    m = Math.min(Math.max(m, 1), 12);
    var len = cal.daysInMonth(y, m);
    var lead = cal.weekday(y, m, 1);
    var monthName = names('month_names')[m - 1];
    var selected = cal.parse(p.field.input.value);
    var today = cal.parse(table.today || '');
    if (!focusDay) {
      focusDay = !selected.error && selected.y === y && selected.m === m ? selected.d
        : !today.error && today.y === y && today.m === m ? today.d : 1;
    }
    p.y = y;
    p.m = m;
    p.focus = Math.min(focusDay, len);
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
      var b = make('button', 'bs-day', num(d));
      b.type = 'button';
      b.tabIndex = d === p.focus ? 0 : -1;
      b.setAttribute('data-day', String(d));
      b.setAttribute('aria-label', num(d) + ' ' + monthName + ' ' + num(y));
      if (!today.error && today.y === y && today.m === m && today.d === d) {
        b.classList.add('bs-today');
        b.setAttribute('aria-current', 'date');
      }
      if (!selected.error && selected.y === y && selected.m === m && selected.d === d) {
        b.classList.add('bs-selected');
        b.setAttribute('aria-pressed', 'true');
      }
      td.appendChild(b);
    }
    p.grid.replaceChild(body, p.body);
    p.body = body;
    return p.grid;
  }

  function focusDay(d) {
    var p = picker;
    var old = p.body.querySelector('.bs-day[tabindex="0"]');
    var b = p.body.querySelector('.bs-day[data-day="' + d + '"]');
    if (!b) return;
    if (old) old.tabIndex = -1;
    b.tabIndex = 0;
    p.focus = d;
    b.focus();
  }

  function shiftMonth(delta) {
    var p = picker;
    var index = p.y * 12 + p.m - 1 + delta;
    var y = Math.floor(index / 12);
    if (y < cal.firstYear || y > cal.lastYear) return;
    renderMonth(y, index % 12 + 1, Math.min(p.focus, cal.daysInMonth(y, index % 12 + 1)));
  }

  // Arrow keys walk the days across month ends; the day numbers make that
  // plain arithmetic.
  function moveFocus(delta) {
    var p = picker;
    var t = cal.fromDayNumber(cal.dayNumber(p.y, p.m, p.focus) + delta);
    if (!t) return;
    if (t.y !== p.y || t.m !== p.m) renderMonth(t.y, t.m, t.d);
    focusDay(t.d);
  }

  var ARROWS = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 };

  function onPickerKey(event) {
    var onDay = event.target.classList.contains('bs-day');
    if (event.key === 'Escape') {
      close(true);
    } else if (onDay && ARROWS[event.key]) {
      moveFocus(ARROWS[event.key]);
    } else if (onDay && (event.key === 'PageUp' || event.key === 'PageDown')) {
      shiftMonth((event.key === 'PageUp' ? -1 : 1) * (event.shiftKey ? 12 : 1));
      focusDay(picker.focus);
    } else {
      return; // Enter and Space press the focused day button: a click
    }
    event.preventDefault();
  }

  function open(field) {
    if (!cal) return;
    if (!picker) picker = buildPicker();
    close(false);
    var p = picker;
    p.field = field;
    field.wrap.appendChild(p.el);
    p.el.hidden = false;
    field.button.setAttribute('aria-expanded', 'true');
    var start = cal.parse(field.input.value);
    if (start.error) start = cal.parse(table.today || '');
    if (start.error) start = { y: Math.min(cal.officialThrough || cal.firstYear, cal.lastYear), m: 1, d: 1 };
    renderMonth(start.y, start.m);
    place(p.el);
    focusDay(p.focus);
  }

  // Keeps the popup inside the viewport when the input sits near the right
  // edge (two fields side by side on a phone). One computed offset; the rest
  // of the layout is in app.css.
  function place(popup) {
    popup.style.left = '';
    var margin = 8;
    var box = popup.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var shift = Math.min(0, width - margin - box.right);
    if (box.left + shift < margin) shift = margin - box.left;
    if (shift) popup.style.left = shift + 'px';
    if (popup.scrollIntoView) popup.scrollIntoView({ block: 'nearest' });
  }

  function close(returnFocus) {
    var p = picker;
    if (!p || p.el.hidden) return;
    p.el.hidden = true;
    p.field.button.setAttribute('aria-expanded', 'false');
    if (returnFocus) p.field.button.focus();
  }

  function pick(y, m, d) {
    var input = picker.field.input;
    input.value = num(iso(y, m, d)); // the server accepts both digit sets
    close(true);
    // Let this file's check and any other listener see the new value.
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  // ---- Page-wide listeners ----

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && picker && !picker.el.hidden && picker.field.wrap.contains(event.target)) {
      close(true);
    }
  });

  // Clicking or tabbing anywhere outside the field and its popup closes it.
  function closeIfOutside(event) {
    if (picker && !picker.el.hidden && !picker.field.wrap.contains(event.target)) close(false);
  }
  document.addEventListener('pointerdown', closeIfOutside);
  document.addEventListener('focusin', closeIfOutside);

  // Capture phase: an invalid date stops the submit before other submit
  // handlers run (no pointless data-confirm question from app.js).
  document.addEventListener('submit', function (event) {
    if (!cal) return;
    var firstBad = null;
    fields.forEach(function (field) {
      if (field.input.form !== event.target || field.input.disabled) return;
      if (!validate(field, 'full') && !firstBad) firstBad = field;
    });
    if (firstBad) {
      event.preventDefault();
      event.stopPropagation();
      firstBad.input.focus();
    }
  }, true);

  function init() {
    document.querySelectorAll('input[data-bs-date]').forEach(enhance);
    // Loaded at once when the page has a date field, so prefilled values get
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
    // Into the open popup (opening the first date field's if none is open).
    renderMonth: function (y, m) {
      if (!cal || !fields.length) return null;
      if (!picker || picker.el.hidden) open(fields[0]);
      return renderMonth(y, m);
    }
  };
  // Reading `ready` starts the load if nothing has (pages without date fields).
  Object.defineProperty(api, 'ready', { enumerable: true, get: load });
  window.leoc = window.leoc || {};
  window.leoc.bs = api;
})();
