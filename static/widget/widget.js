/* Inside the widget iframe: tell the embedding page our height, so the script embed can fit the frame. */
(function () {
  function report() {
    var height = document.documentElement.scrollHeight;
    if (window.parent !== window) window.parent.postMessage({ type: "twinning-widget-height", height: height }, "*");
  }
  window.addEventListener("load", report);
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.body);
})();
