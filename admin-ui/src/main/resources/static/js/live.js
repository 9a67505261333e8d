// A page's live part (class "live", polled by htmx with hx-trigger="every …") is not fetched while the
// tab is hidden (nor is the chart, js/metrics.js; a log stream stays open). htmx's own trigger filter
// ("every 2s [document.visibilityState === 'visible']") would need eval, which the dashboard's
// Content-Security-Policy forbids: cancelling the request here needs none.
document.addEventListener('htmx:beforeRequest', function (event) {
  if (document.visibilityState !== 'visible' && event.detail.elt.classList.contains('live')) {
    event.preventDefault();
  }
});
