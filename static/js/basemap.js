/* The base layers every map of the site shares.
 *
 * World country outlines (world-atlas, shipped in static/) are always drawn in a pane below the
 * tiles, so the map is never blank: offline, or when the tile server is unreachable, the outlines
 * show; online, OpenStreetMap tiles cover them.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("basemap-config").textContent);
  var outlines = null; // the GeoJSON, fetched once per page

  /* A ring crossing the antimeridian jumps from +180 to -180 between two points, which Leaflet
   * draws as a line across the whole map (Russia, Fiji). Shift the rest of the ring by 360
   * degrees at each jump so it continues past the edge instead. */
  function unwrapRing(ring) {
    var out = [[ring[0][0], ring[0][1]]];
    var shift = 0;
    for (var i = 1; i < ring.length; i++) {
      var step = ring[i][0] - ring[i - 1][0];
      if (step > 180) shift -= 360;
      else if (step < -180) shift += 360;
      out.push([ring[i][0] + shift, ring[i][1]]);
    }
    return out;
  }

  function shiftPolygon(polygon, by) {
    return polygon.map(function (ring) {
      return ring.map(function (point) { return [point[0] + by, point[1]]; });
    });
  }

  /* The unwrapped polygon, plus a copy on the other side when it reaches past ±180, so that the
   * part beyond the edge (Chukotka) also shows where the reader expects it. */
  function fixPolygon(polygon) {
    var unwrapped = polygon.map(unwrapRing);
    var lngs = [];
    unwrapped[0].forEach(function (point) { lngs.push(point[0]); });
    var west = Math.min.apply(null, lngs);
    var east = Math.max.apply(null, lngs);
    if (east - west >= 359) return [polygon]; // goes round the pole (Antarctica): leave as it is
    var result = [unwrapped];
    if (east > 180) result.push(shiftPolygon(unwrapped, -360));
    if (west < -180) result.push(shiftPolygon(unwrapped, 360));
    return result;
  }

  function fixFeature(feature) {
    var geometry = feature.geometry;
    if (!geometry) return feature;
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    var fixed = [];
    polygons.forEach(function (polygon) { fixed = fixed.concat(fixPolygon(polygon)); });
    return {type: "Feature", id: feature.id, properties: feature.properties,
            geometry: {type: "MultiPolygon", coordinates: fixed}};
  }

  function shiftFeature(feature, by) {
    if (!feature.geometry) return feature;
    return {type: "Feature", id: feature.id, properties: feature.properties, geometry: {
      type: "MultiPolygon",
      coordinates: feature.geometry.coordinates.map(function (polygon) { return shiftPolygon(polygon, by); }),
    }};
  }

  function loadOutlines() {
    if (!outlines) {
      outlines = fetch(config.outlinesUrl)
        .then(function (response) { return response.json(); })
        .then(function (topology) {
          var countries = topojson.feature(topology, topology.objects.countries).features.map(fixFeature);
          // Vector layers do not repeat like tiles: add a world copy on each side, so that a
          // line drawn across the antimeridian (Kamchatka to Alaska) still ends over land.
          var features = [];
          [-360, 0, 360].forEach(function (by) {
            countries.forEach(function (feature) { features.push(by ? shiftFeature(feature, by) : feature); });
          });
          return {type: "FeatureCollection", features: features};
        });
    }
    return outlines;
  }

  function addBasemap(map) {
    map.createPane("outlines");
    map.getPane("outlines").style.zIndex = 150; // below the tile pane (200)
    var renderer = L.canvas({pane: "outlines"});
    var ready = loadOutlines().then(function (geojson) {
      return L.geoJSON(geojson, {
        pane: "outlines",
        renderer: renderer,
        interactive: false,
        style: {color: "#8a8f98", weight: 0.8, fillColor: "#f4f1ea", fillOpacity: 1},
      }).addTo(map);
    });
    if (config.tilesUrl && navigator.onLine !== false) {
      L.tileLayer(config.tilesUrl, {
        maxZoom: 18,
        attribution: config.tilesAttribution,
        crossOrigin: true,
      }).addTo(map);
    }
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    return ready;
  }

  /* Leaflet's default marker finds its images by a path it guesses from the CSS, which fails
   * with hashed static file names, so the URLs are given explicitly. */
  function markerIcon() {
    return L.icon({
      iconUrl: config.iconUrl,
      iconRetinaUrl: config.iconRetinaUrl,
      shadowUrl: config.shadowUrl,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41],
    });
  }

  /* The partner's longitude moved by 360 degrees when that makes the line shorter, so a line
   * from Vladivostok to Alaska crosses the Pacific rather than the whole map. */
  function nearLng(lng, fromLng) {
    if (lng - fromLng > 180) return lng - 360;
    if (fromLng - lng > 180) return lng + 360;
    return lng;
  }

  var STATUS_STYLE = {
    active: {color: "#1d5fbf", weight: 2, opacity: 0.85},
    suspended: {color: "#b85c00", weight: 2, opacity: 0.9, dashArray: "6 4"},
    ended: {color: "#6b6b6b", weight: 1.5, opacity: 0.8, dashArray: "2 4"},
  };

  window.TwinningBasemap = {
    add: addBasemap,
    markerIcon: markerIcon,
    nearLng: nearLng,
    statusStyle: function (status) { return STATUS_STYLE[status] || STATUS_STYLE.active; },
  };
})();
