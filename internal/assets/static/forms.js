// LEOC forms that help: (a) the Print button of print pages, (b) upload
// limits checked before sending, (c) the incident picker (search as you
// type), (d) drafts of unsaved forms kept in this browser. Loaded with
// <script defer> on every page; every page works without it (the Print
// button's place says "Ctrl+P", the picker is a plain record-number field,
// the server checks every limit). See docs/assets.md.
(function () {
  'use strict';

  var lang = document.documentElement.getAttribute('lang') || 'ne';

  // (a) <button data-print> prints the page; print CSS hides the button.
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('[data-print]');
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // (b) <input type="file" data-max-bytes="…" data-too-large="message">:
  // a file over the kind's limit is refused here, with the limit, before a
  // slow connection spends minutes sending it.
  function uploadMessage(input) {
    var id = input.id + '-too-large';
    var p = document.getElementById(id);
    if (!p) {
      p = document.createElement('p');
      p.id = id;
      p.className = 'upload-error';
      p.setAttribute('role', 'alert');
      p.hidden = true;
      input.insertAdjacentElement('afterend', p);
    }
    return p;
  }

  function checkUpload(input) {
    var max = Number(input.getAttribute('data-max-bytes'));
    var file = input.files && input.files[0];
    var tooLarge = Boolean(max && file && file.size > max);
    var p = uploadMessage(input);
    var message = tooLarge ? input.getAttribute('data-too-large') : '';
    p.textContent = message;
    p.hidden = !tooLarge;
    input.setCustomValidity(message);
    input.classList.toggle('invalid', tooLarge);
    if (tooLarge) input.setAttribute('aria-invalid', 'true'); else input.removeAttribute('aria-invalid');
    return !tooLarge;
  }

  document.addEventListener('change', function (event) {
    var input = event.target;
    if (input.matches && input.matches('input[type="file"][data-max-bytes]')) checkUpload(input);
  });
  document.addEventListener('submit', function (event) {
    var inputs = event.target.querySelectorAll('input[type="file"][data-max-bytes]');
    for (var i = 0; i < inputs.length; i++) {
      if (!checkUpload(inputs[i])) {
        event.preventDefault();
        inputs[i].focus();
        return;
      }
    }
  }, true);

  // (c) Incident picker: [data-incident-picker] holds the record-number
  // field; it becomes a hidden value behind an ARIA combobox that searches
  // GET /api/v1/incidents?search=… (ward, BS date, disaster type, tole) as
  // the clerk types. Arrows move, Enter chooses, Escape closes.
  var pickers = 0;

  function setupPicker(box) {
    var input = box.querySelector('input[name="incident_id"]');
    var label = box.querySelector('label');
    var hint = box.querySelector('.picker-hint');
    if (!input || !label) return;
    pickers++;
    var listId = 'incident-picker-list-' + pickers;
    var search = document.createElement('input');
    search.type = 'text';
    search.id = input.id + '-search';
    search.className = 'picker-search';
    search.setAttribute('role', 'combobox');
    search.setAttribute('aria-autocomplete', 'list');
    search.setAttribute('aria-expanded', 'false');
    search.setAttribute('aria-controls', listId);
    search.setAttribute('autocomplete', 'off');
    search.setAttribute('enterkeyhint', 'search');
    if (hint) {
      hint.textContent = box.getAttribute('data-msg-hint');
      search.setAttribute('aria-describedby', hint.id);
    }
    var list = document.createElement('ul');
    list.id = listId;
    list.className = 'picker-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', box.getAttribute('data-msg-search'));
    list.hidden = true;
    var chosen = box.querySelector('.picker-chosen');
    if (!chosen) {
      chosen = document.createElement('p');
      chosen.className = 'picker-chosen';
      chosen.hidden = true;
    }
    var chosenText = document.createElement('span');
    chosenText.textContent = chosen.textContent || input.getAttribute('data-label') || '';
    chosen.textContent = '';
    var clear = document.createElement('button');
    clear.type = 'button';
    clear.className = 'btn btn-small btn-secondary picker-clear';
    clear.textContent = box.getAttribute('data-msg-clear');
    chosen.appendChild(chosenText);
    chosen.appendChild(document.createTextNode(' '));
    chosen.appendChild(clear);
    chosen.hidden = !input.value;
    if (input.value && !chosenText.textContent) chosenText.textContent = '#' + input.value;

    input.type = 'hidden';
    input.setAttribute('data-draft', '');
    label.htmlFor = search.id;
    input.insertAdjacentElement('afterend', search);
    search.insertAdjacentElement('afterend', list);
    (hint || list).insertAdjacentElement('afterend', chosen);

    var items = [];
    var active = -1;
    var seq = 0;
    var timer = null;

    function open(show) {
      list.hidden = !show;
      search.setAttribute('aria-expanded', show ? 'true' : 'false');
      if (!show) {
        active = -1;
        search.removeAttribute('aria-activedescendant');
      }
    }

    function highlight(i) {
      var options = list.querySelectorAll('[role="option"]');
      if (!options.length) return;
      active = (i + options.length) % options.length;
      options.forEach(function (o, j) { o.setAttribute('aria-selected', j === active ? 'true' : 'false'); });
      search.setAttribute('aria-activedescendant', options[active].id);
      options[active].scrollIntoView({ block: 'nearest' });
    }

    function show(found, message) {
      items = found;
      list.textContent = '';
      found.forEach(function (item, i) {
        var li = document.createElement('li');
        li.id = listId + '-' + i;
        li.setAttribute('role', 'option');
        li.setAttribute('aria-selected', 'false');
        li.setAttribute('data-index', String(i));
        li.textContent = item.label;
        list.appendChild(li);
      });
      if (!found.length) {
        var li = document.createElement('li');
        li.className = 'picker-empty';
        li.textContent = message;
        list.appendChild(li);
      }
      open(true);
    }

    function choose(item) {
      input.value = String(item.id);
      chosenText.textContent = item.label;
      chosen.hidden = false;
      search.value = '';
      open(false);
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }

    function find(text) {
      var mine = ++seq;
      var url = '/api/v1/incidents?search=' + encodeURIComponent(text);
      fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (page) {
          if (mine === seq) show(page.items || [], box.getAttribute('data-msg-none'));
        }, function () {
          if (mine === seq) show([], box.getAttribute('data-msg-error'));
        });
    }

    search.addEventListener('input', function () {
      clearTimeout(timer);
      var text = search.value.trim();
      if (!text) {
        seq++;
        open(false);
        return;
      }
      // Debounced: one request when the typing pauses, not one per key.
      timer = setTimeout(function () { find(text); }, 250);
    });

    // Implicit submission comes with the keypress of Enter; a keydown
    // handler alone does not stop it where keypress arrives on its own
    // (synthetic key events, some on-screen keyboards).
    search.addEventListener('keypress', function (event) {
      if (event.key === 'Enter') event.preventDefault();
    });

    search.addEventListener('keydown', function (event) {
      switch (event.key) {
        case 'ArrowDown':
        case 'ArrowUp':
          event.preventDefault();
          if (list.hidden && items.length) open(true);
          highlight(active + (event.key === 'ArrowDown' ? 1 : -1));
          break;
        case 'Enter':
          // Never submit the form from the search box.
          event.preventDefault();
          if (!list.hidden && active >= 0 && items[active]) choose(items[active]);
          else if (!list.hidden && items.length === 1) choose(items[0]);
          break;
        case 'Escape':
          if (!list.hidden) {
            event.preventDefault();
            event.stopPropagation();
            open(false);
          } else if (search.value) {
            search.value = '';
          }
          break;
      }
    });

    // mousedown keeps the focus in the search box while an option is picked.
    list.addEventListener('mousedown', function (event) { event.preventDefault(); });
    list.addEventListener('click', function (event) {
      var li = event.target.closest('[role="option"]');
      if (li) choose(items[Number(li.getAttribute('data-index'))]);
    });
    search.addEventListener('blur', function () { open(false); });

    clear.addEventListener('click', function () {
      input.value = '';
      chosenText.textContent = '';
      chosen.hidden = true;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      search.focus();
    });

    // A restored draft sets the number: name it again.
    input.addEventListener('leoc:restored', function () {
      if (!input.value) {
        chosen.hidden = true;
        return;
      }
      chosenText.textContent = '#' + input.value;
      chosen.hidden = false;
      fetch('/api/v1/incidents?search=' + encodeURIComponent('#' + input.value),
        { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (page) {
          if (page && page.items && page.items[0]) chosenText.textContent = page.items[0].label;
        }, function () {});
    });
  }

  document.querySelectorAll('[data-incident-picker]').forEach(setupPicker);

  // (d) Drafts. Every form that posts (except [data-no-draft]) is copied to
  // localStorage as it is typed, under the user and the form's address, so
  // a session that ended, a stale page or a dropped connection loses
  // nothing. Passwords, the unlock key, files and the CSRF token are never
  // kept. The draft is offered back when the form is opened again, and
  // removed once the form was saved (the next page shows a success message).
  var user = document.body.getAttribute('data-user');
  var barTemplate = document.getElementById('draft-bar-template');
  var SENT = 'leoc-draft-sent';
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem('x');
  } catch (e) {
    storage = null;
  }

  // One key per user and form: the form's address, and its place among the
  // page's forms with the same address (the settings page has several).
  var seenActions = {};
  function draftKey(form) {
    var action = new URL(form.getAttribute('action') || location.pathname, location.href).pathname;
    var n = seenActions[action] = (seenActions[action] || 0) + 1;
    return 'leoc-draft:' + user + ':' + action + (n > 1 ? '#' + n : '');
  }

  function kept(el) {
    if (!el.name || el.disabled || el.name === 'csrf_token') return false;
    var type = (el.type || '').toLowerCase();
    if (type === 'password' || type === 'file' || type === 'submit' || type === 'button' || type === 'reset') return false;
    if (type === 'hidden' && !el.hasAttribute('data-draft')) return false;
    return !el.hasAttribute('data-no-draft');
  }

  function snapshot(form) {
    var v = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!kept(el)) return;
      var type = (el.type || '').toLowerCase();
      var value = (type === 'checkbox' || type === 'radio') ? (el.checked ? el.value : '') : el.value;
      (v[el.name] = v[el.name] || []).push(value);
    });
    return v;
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function fields(form, name) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === name && kept(el); });
  }

  function restore(form, values) {
    Object.keys(values).forEach(function (name) {
      var els = fields(form, name);
      // Repeated rows (household members, items): add rows until they fit.
      for (var guard = 0; els.length && els.length < values[name].length && guard < 50; guard++) {
        var group = els[0].closest('[data-rows]');
        var add = group && document.querySelector('[data-add-row="' + group.getAttribute('data-rows') + '"]');
        if (!add || add.hidden) break;
        add.click();
        els = fields(form, name);
      }
      els.forEach(function (el, i) {
        var value = values[name][i];
        if (value === undefined) return;
        var type = (el.type || '').toLowerCase();
        if (type === 'checkbox' || type === 'radio') el.checked = value !== '' && value === el.value;
        else el.value = value;
        el.dispatchEvent(new CustomEvent('leoc:restored'));
      });
    });
  }

  function when(t) {
    try {
      return new Date(t).toLocaleString(lang === 'ne' ? 'ne-NP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    } catch (e) {
      return new Date(t).toLocaleString();
    }
  }

  function offer(form, key, draft) {
    if (!barTemplate) return;
    var bar = barTemplate.content.firstElementChild.cloneNode(true);
    var text = bar.querySelector('.draft-text');
    text.textContent = text.getAttribute('data-msg').replace('{when}', when(draft.t));
    bar.querySelector('[data-draft-restore]').addEventListener('click', function () {
      restore(form, draft.v);
      text.textContent = text.getAttribute('data-msg-restored');
      bar.querySelectorAll('button').forEach(function (b) { b.remove(); });
    });
    bar.querySelector('[data-draft-discard]').addEventListener('click', function () {
      storage.removeItem(key);
      bar.remove();
    });
    form.insertAdjacentElement('beforebegin', bar);
  }

  function setupDraft(form) {
    var key = draftKey(form);
    var initial = snapshot(form);
    var timer = null;
    var saved = null;
    try {
      saved = JSON.parse(storage.getItem(key) || 'null');
    } catch (e) {
      saved = null;
    }
    if (saved && saved.v && !same(saved.v, initial)) offer(form, key, saved);

    function keep() {
      var now = snapshot(form);
      try {
        if (same(now, initial)) storage.removeItem(key);
        else storage.setItem(key, JSON.stringify({ t: Date.now(), v: now }));
      } catch (e) { /* storage full or refused: the form still works */ }
    }
    form.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(keep, 300);
    });
    form.addEventListener('change', keep);
    form.addEventListener('submit', function (event) {
      clearTimeout(timer);
      keep();
      if (!event.defaultPrevented) {
        try { sessionStorage.setItem(SENT, key); } catch (e) { /* ignore */ }
      }
    });
  }

  if (storage && user) {
    // The form sent from the previous page was saved when this page says so.
    try {
      var sent = sessionStorage.getItem(SENT);
      if (sent) {
        sessionStorage.removeItem(SENT);
        if (document.querySelector('.flash-success')) storage.removeItem(sent);
      }
    } catch (e) { /* ignore */ }
    document.querySelectorAll('form').forEach(function (form) {
      if ((form.getAttribute('method') || '').toLowerCase() !== 'post' || form.hasAttribute('data-no-draft')) return;
      var any = Array.prototype.some.call(form.elements, function (el) {
        return kept(el) && (el.type || '').toLowerCase() !== 'hidden';
      });
      if (any) setupDraft(form);
    });
  }
})();

// The distribution form's warehouse follows the household's ward (that
// ward's store, else the municipality's MAIN) until the clerk picks one.
(function () {
  var select = document.querySelector('select[data-warehouse-by-ward]');
  if (!select) return;
  var ward = document.getElementById(select.getAttribute('data-warehouse-by-ward'));
  if (!ward) return;
  var chosen = false;
  select.addEventListener('change', function () { chosen = true; });
  ward.addEventListener('change', function () {
    if (chosen) return;
    var pick = select.querySelector('option[data-ward="' + ward.value + '"]') || select.querySelector('option[data-main]');
    if (pick && ward.value !== '') select.value = pick.value;
  });
})();
