/* The small map of a city page: the city, its partners, and a line to each. */
(function () {
  "use strict";

  var element = document.getElementById("city-map");
  if (!element) return;
  var data = JSON.parse(document.getElementById("city-map-data").textContent);
  var map = L.map(element, {preferCanvas: true, scrollWheelZoom: false, worldCopyJump: true});
  TwinningBasemap.add(map);

  var here = [data.city[0], data.city[1]];
  var points = [here];
  data.partners.forEach(function (partner) {
    var there = [partner[0], TwinningBasemap.nearLng(partner[1], here[1])];
    points.push(there);
    L.polyline([here, there], TwinningBasemap.statusStyle(partner[3])).addTo(map);
    L.circleMarker(there, {radius: 4, color: "#1d5fbf", weight: 1, fillColor: "#ffffff", fillOpacity: 1})
      .bindTooltip(partner[2])
      .addTo(map);
  });
  L.marker(here, {icon: TwinningBasemap.markerIcon(), title: data.city[2], alt: data.city[2], keyboard: false}).addTo(map);
  if (points.length > 1) {
    map.fitBounds(points, {padding: [20, 20], maxZoom: 7});
  } else {
    map.setView(here, 7);
  }
  element.setAttribute("data-partner-lines", String(data.partners.length));
})();
