// Signing out deletes what this site keeps on the device (the scanner's offline list of names, scans not yet
// sent): the server's answer carries `Clear-Site-Data: "storage"`, and this script does the same first for
// browsers that ignore that header. Forms marked data-forget-device use it; the scanner calls forgetDevice().
(function () {
  "use strict";
  function forgetDevice() {
    try { localStorage.clear(); } catch (e) { /* storage blocked: nothing kept */ }
    try { sessionStorage.clear(); } catch (e) { /* as above */ }
    var waits = [];
    if (window.caches && caches.keys) {
      waits.push(caches.keys().then(function (names) {
        return Promise.all(names.map(function (name) { return caches.delete(name); }));
      }).catch(function () {}));
    }
    if (window.indexedDB && indexedDB.databases) {
      waits.push(indexedDB.databases().then(function (databases) {
        databases.forEach(function (db) { if (db.name) indexedDB.deleteDatabase(db.name); });
      }).catch(function () {}));
    }
    return Promise.all(waits);
  }
  window.forgetDevice = forgetDevice;
  document.querySelectorAll("form[data-forget-device]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.forgotten === "1") return;
      event.preventDefault();
      form.dataset.forgotten = "1";
      forgetDevice().then(function () { form.submit(); });
    });
  });
})();
