// A form marked data-once is sent once: its submit buttons are disabled as it is submitted, so a double click (or
// Enter pressed twice) cannot post it again. A second post of a write is never what the user meant: the browser
// cancels the first navigation and shows the second's answer, for a token create a 409 while the first created the
// token and its secret is never shown; for an If-Match write a misleading "someone else changed it" (412).
// The submit event fires only after the browser's own validation passed, so an invalid form stays editable; the buttons
// come back when the page is shown again from the back/forward cache (Back after the post). No script, no harm: the
// server's answers to a repeat stand as they are. The buttons are disabled before the browser collects the form's fields,
// and a disabled button's own name and value are not sent: a marked form's buttons carry none (a roll-back's revision is
// a hidden field).
document.addEventListener('submit', function (event) {
  const form = event.target;
  if (!form.hasAttribute('data-once') || event.defaultPrevented) {
    return;
  }
  form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]').forEach(function (button) {
    if (!button.disabled) {
      button.disabled = true;
      button.setAttribute('data-once-disabled', '');
    }
  });
});
// A page's live part, refreshed by htmx every second or two, holds forms too (a deployment's roll-back buttons): a refresh
// that came while such a form's post is on its way would put back an enabled button, and a second click would post again.
// While a sent form's buttons are disabled, a refresh of the part that holds them is not swapped in.
document.addEventListener('htmx:beforeSwap', function (event) {
  if (event.detail.target.querySelector('[data-once-disabled]')) {
    event.detail.shouldSwap = false;
  }
});
window.addEventListener('pageshow', function (event) {
  if (event.persisted) {
    document.querySelectorAll('[data-once-disabled]').forEach(function (button) {
      button.disabled = false;
      button.removeAttribute('data-once-disabled');
    });
  }
});
