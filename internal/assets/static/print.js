// Print buttons: any element with data-print opens the browser's print
// dialog. (No inline script: the CSP allows only files from 'self'.)
document.addEventListener('click', function (ev) {
  var el = ev.target.closest ? ev.target.closest('[data-print]') : null;
  if (el) {
    ev.preventDefault();
    window.print();
  }
});
