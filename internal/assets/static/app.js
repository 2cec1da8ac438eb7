// LEOC page behaviour. Load with <script defer src="{{asset "app.js"}}">.
// The Content-Security-Policy forbids inline scripts and on* attributes, so
// every behaviour is attached here, driven by classes and data- attributes
// (see docs/assets.md). Pages must work without this file; it only helps.
(function () {
  'use strict';

  var root = document.documentElement;
  // Lets CSS collapse the phone menu only when the toggle button works.
  root.classList.add('js');

  // (a) Phone menu: .nav-toggle opens and closes .site-nav.
  function navFor(button) {
    var id = button.getAttribute('aria-controls');
    return (id && document.getElementById(id)) || document.querySelector('.site-nav');
  }

  function setNav(button, open) {
    var nav = navFor(button);
    if (!nav) return;
    nav.classList.toggle('open', open);
    button.setAttribute('aria-expanded', open ? 'true' : 'false');
  }

  document.querySelectorAll('.nav-toggle').forEach(function (button) {
    button.setAttribute('aria-expanded', 'false');
    button.addEventListener('click', function () {
      setNav(button, button.getAttribute('aria-expanded') !== 'true');
    });
  });

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var button = document.querySelector('.nav-toggle[aria-expanded="true"]');
    if (button) {
      setNav(button, false);
      button.focus();
    }
  });

  // (a2) Menu groups (<details class="nav-group">) work without this file;
  // here one open group closes the others, and a click elsewhere or Escape
  // closes it.
  function closeGroups(except) {
    document.querySelectorAll('details.nav-group[open]').forEach(function (d) {
      if (d !== except) d.removeAttribute('open');
    });
  }
  document.querySelectorAll('details.nav-group').forEach(function (d) {
    d.addEventListener('toggle', function () {
      if (d.open) closeGroups(d);
    });
  });
  document.addEventListener('click', function (event) {
    if (!event.target.closest || !event.target.closest('details.nav-group')) closeGroups(null);
  });
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var open = document.querySelector('details.nav-group[open]');
    if (open) {
      open.removeAttribute('open');
      open.querySelector('summary').focus();
    }
  });

  // (a3) A refused form's error summary takes the focus, so a screen reader
  // reads it and Tab leads to the links to each field.
  var summary = document.getElementById('error-summary') || document.getElementById('warning-summary');
  if (summary) summary.focus();

  // (b) data-confirm="message" on a form or on its submit button asks first.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute('data-confirm')) ||
      form.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // Links cannot change state (GET), but a confirm on one is still honoured.
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[data-confirm]');
    if (link && !window.confirm(link.getAttribute('data-confirm'))) {
      event.preventDefault();
    }
  });

  // (c) <select data-autosubmit> submits its form on change (language switch).
  document.addEventListener('change', function (event) {
    var select = event.target;
    if (!select.matches || !select.matches('select[data-autosubmit]') || !select.form) return;
    // requestSubmit fires the submit event (data-confirm, validation);
    // submit() is the fallback for old browsers.
    if (select.form.requestSubmit) {
      select.form.requestSubmit();
    } else {
      select.form.submit();
    }
  });

  // (d) JSON calls to /api/v1 with the page's CSRF token.
  //   leoc.api('POST', '/api/v1/x', {a: 1}).then(data => ..., err => err.status, err.message)
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : '';
  }

  async function api(method, url, body) {
    var headers = { 'Accept': 'application/json' };
    var token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
    var init = { method: String(method).toUpperCase(), headers: headers, credentials: 'same-origin' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }

    var response = await fetch(url, init);
    var text = await response.text();
    var data = null;
    var parsed = true;
    if (text) {
      try {
        data = JSON.parse(text);
      } catch (e) {
        parsed = false;
      }
    }
    if (!response.ok || !parsed) {
      var serverError = data && data.error;
      var message = (serverError && serverError.message) ||
        (response.ok ? 'invalid JSON in response' : response.statusText) ||
        'HTTP ' + response.status;
      var error = new Error(message);
      error.status = response.status;
      error.code = serverError && serverError.code;
      error.body = data;
      throw error;
    }
    return data;
  }

  window.leoc = Object.assign(window.leoc || {}, { api: api });
})();
