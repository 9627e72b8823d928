// The board's map: the public reports' markers over OpenStreetMap tiles. The page works
// without it (the same reports are listed below the map) and when tiles fail to load.
(function () {
  "use strict";
  var box = document.getElementById("peta-laporan");
  var data = document.getElementById("penanda");
  if (!box || !data || typeof L === "undefined") {
    return;
  }
  var markers = JSON.parse(data.textContent || "[]");
  var points = markers.map(function (m) { return [m.lat, m.lon]; });
  var map = L.map(box, { scrollWheelZoom: false, zoomAnimation: false });
  if (points.length) {
    map.fitBounds(points, { padding: [20, 20], maxZoom: 15, animate: false });
  } else {
    map.setView([-6.0, 106.05], 12, { animate: false });  // the city, before any marker
  }
  L.tileLayer(box.dataset.tiles, {
    maxZoom: 19,
    attribution: box.dataset.attribution,
  }).addTo(map);
  markers.forEach(function (m) {
    var marker = L.circleMarker([m.lat, m.lon], {
      radius: 9,
      fillOpacity: 0.8,
      className: "penanda-laporan",
    }).addTo(map);
    var link = document.createElement("a");
    link.href = m.path;
    link.textContent = m.title;
    var popup = document.createElement("div");
    popup.appendChild(link);
    popup.appendChild(document.createElement("br"));
    popup.appendChild(document.createTextNode(m.opd));
    marker.bindPopup(popup);
  });
  box.classList.add("siap");
})();
