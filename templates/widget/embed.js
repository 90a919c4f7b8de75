{% autoescape off %}/* Twinning Registry widget: replaces this <script> with an iframe of the city's twin cities. */
(function () {
  var script = document.currentScript;
  var frameUrl = {{ frame_url }};
  var origin = new URL(frameUrl).origin;
  var frame = document.createElement("iframe");
  frame.src = frameUrl;
  frame.title = {{ title }};
  frame.loading = "lazy";
  frame.setAttribute("scrolling", "no");
  frame.style.cssText = "width:100%;max-width:100%;border:0;height:320px;display:block;";
  script.parentNode.insertBefore(frame, script);
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    var data = event.data || {};
    if (data.type === "twinning-widget-height" && data.height > 0) frame.style.height = Math.ceil(data.height) + "px";
  });
})();
{% endautoescape %}
