// The scanner page, made quicker with JavaScript: scans without reloading, the camera where the browser
// has BarcodeDetector, and scanning on with no network (codes checked with the public key, check-ins kept
// on this device and sent when the network is back). Without JavaScript the page's forms still work.
(function () {
  "use strict";
  var root = document.querySelector(".scanner");
  if (!root || !window.fetch) return;
  var slug = root.dataset.event;
  var api = "/api/events/" + encodeURIComponent(slug) + "/check-in";
  var form = document.getElementById("scan-form");
  var input = document.getElementById("code");
  var session = document.getElementById("session_id");
  var result = document.getElementById("result");
  var offlineNote = document.getElementById("offline-note");
  var storeKey = "checkin:" + slug;
  var queueKey = "checkin-queue:" + slug;
  var offline = null;

  function sessionId() { return session && session.value ? Number(session.value) : null; }
  function clientId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return String(Date.now()) + Math.random().toString(16).slice(2);
  }
  function queue() { try { return JSON.parse(localStorage.getItem(queueKey) || "[]"); } catch (e) { return []; } }
  function saveQueue(items) { localStorage.setItem(queueKey, JSON.stringify(items)); }

  function show(answer, code) {
    result.className = "result result-" + answer.colour;
    result.textContent = "";
    function line(text, cls) {
      if (!text) return;
      var p = document.createElement("p");
      p.textContent = text;
      if (cls) p.className = cls;
      result.appendChild(p);
    }
    line(answer.message, "result-message");
    if (answer.result !== "invalid") line(answer.name, "result-name");
    line([answer.organisation, answer.stakeholder_group].filter(Boolean).join(" · "));
    if (answer.access_needs) line("Access needs: " + answer.access_needs, "result-access");
    // Outside the event's days an organiser may still let someone in; door staff may not.
    if ((answer.result === "too_early" || answer.result === "event_over") && root.dataset.override === "1" && code) {
      var anyway = document.createElement("button");
      anyway.type = "button";
      anyway.className = "button button-secondary";
      anyway.textContent = "Check in anyway";
      anyway.addEventListener("click", function () { scan(code, true); });
      result.appendChild(anyway);
    }
  }

  function refreshCounts() {
    var url = api + "/counts" + (sessionId() ? "?session=" + sessionId() : "");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (c) {
      if (!c) return;
      document.getElementById("checked-in").textContent = c.checked_in;
      document.getElementById("expected").textContent = c.expected;
    }).catch(function () {});
  }

  function loadOffline() {
    fetch(api + "/offline", { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        offline = data;
        try { localStorage.setItem(storeKey, JSON.stringify(data)); } catch (e) { /* full: keep it in memory */ }
      }).catch(function () {
        try { offline = JSON.parse(localStorage.getItem(storeKey) || "null"); } catch (e) { offline = null; }
      });
  }

  function b64(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // Check a code with the public key, as the server does, when there is no network.
  function scanOffline(code) {
    var red = { result: "invalid", colour: "red", message: "This is not a valid ticket" };
    if (!offline || code.indexOf("T1.") !== 0) return Promise.resolve(red);
    var raw;
    try { raw = b64(code.slice(3)); } catch (e) { return Promise.resolve(red); }
    if (raw.length !== 73 || raw[0] !== 1) return Promise.resolve(red);
    var view = new DataView(raw.buffer);
    var eventId = view.getUint32(1), registrationId = view.getUint32(5);
    return crypto.subtle.importKey("raw", b64(offline.public_key), { name: "Ed25519" }, false, ["verify"])
      .then(function (key) { return crypto.subtle.verify({ name: "Ed25519" }, key, raw.slice(9), raw.slice(0, 9)); })
      .then(function (good) {
        if (!good) return red;
        if (eventId !== offline.event_id) return { result: "other_event", colour: "red", message: "This ticket is for another event" };
        var now = new Date();
        if (offline.opens_at && (now < new Date(offline.opens_at) || now >= new Date(offline.closes_at))) {
          return { result: now < new Date(offline.opens_at) ? "too_early" : "event_over", colour: "red",
                   message: "This event is not on today: check-in is open from " + new Date(offline.opens_at).toLocaleString() +
                            " to " + new Date(offline.closes_at).toLocaleString() };
        }
        var person = offline.registrations[String(registrationId)] || {};
        var answer = { name: person.name, organisation: person.organisation, stakeholder_group: person.stakeholder_group, access_needs: person.access_needs };
        if (person.status !== "confirmed") {
          answer.result = "not_confirmed"; answer.colour = "red";
          answer.message = (person.name || "This delegate") + " has no confirmed place";
          return answer;
        }
        var seen = person.checked_in || queue().some(function (q) { return q.registration === registrationId && q.session_id === sessionId(); });
        if (seen && !sessionId()) {
          answer.result = "already_checked_in"; answer.colour = "amber";
          answer.message = person.name + " was already checked in";
          return answer;
        }
        var items = queue();
        items.push({ client_id: clientId(), code: code, at: new Date().toISOString(), session_id: sessionId(), registration: registrationId });
        saveQueue(items);
        answer.result = "checked_in"; answer.colour = "green";
        answer.message = "Welcome, " + person.name + " (kept on this device until the network is back)";
        return answer;
      }).catch(function () { return red; });
  }

  function sync() {
    var items = queue();
    offlineNote.hidden = navigator.onLine !== false && items.length === 0;
    if (!items.length || navigator.onLine === false) return;
    var scans = items.map(function (q) { return { client_id: q.client_id, code: q.code, at: q.at, session_id: q.session_id }; });
    fetch(api + "/sync", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ scans: scans })
    }).then(function (r) {
      if (!r.ok) return;
      var sent = {};
      scans.forEach(function (s) { sent[s.client_id] = true; });
      saveQueue(queue().filter(function (q) { return !sent[q.client_id]; }));
      offlineNote.hidden = queue().length === 0;
      refreshCounts();
    }).catch(function () { offlineNote.hidden = false; });
  }

  function scan(code, override) {
    code = code.trim();
    if (!code) return;
    var body = JSON.stringify({ code: code, session_id: sessionId(), client_id: clientId(), override: !!override });
    var online = navigator.onLine === false ? Promise.reject(new Error("offline")) : fetch(api + "/scan", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: body
    }).then(function (r) { if (r.status >= 500 || r.status === 0) throw new Error("server"); return r.json(); });
    online.then(function (answer) { offlineNote.hidden = queue().length === 0; return answer; })
      .catch(function () { offlineNote.hidden = false; return scanOffline(code); })
      .then(function (answer) { show(answer, code); refreshCounts(); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    scan(input.value);
    input.value = "";
    input.focus();
  });

  // The camera, where the browser can read QR codes itself.
  var cameraButton = document.getElementById("camera-button");
  var video = document.getElementById("camera");
  if ("BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    cameraButton.hidden = false;
    cameraButton.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      var last = "", lastAt = 0;
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        cameraButton.hidden = true;
        video.play();
        setInterval(function () {
          detector.detect(video).then(function (codes) {
            if (!codes.length) return;
            var code = codes[0].rawValue, now = Date.now();
            if (code === last && now - lastAt < 3000) return;  // the same ticket held up: one scan
            last = code; lastAt = now;
            scan(code);
          }).catch(function () {});
        }, 250);
      }).catch(function () { show({ colour: "amber", message: "The camera could not be opened: type or scan the code instead" }); });
    });
  }

  if (session) session.addEventListener("change", refreshCounts);
  window.addEventListener("online", sync);
  window.addEventListener("offline", function () { offlineNote.hidden = false; });
  loadOffline();
  setInterval(refreshCounts, 15000);
  setInterval(sync, 15000);
  setInterval(loadOffline, 300000);
  sync();
})();
