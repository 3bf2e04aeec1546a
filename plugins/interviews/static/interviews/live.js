// The live transcript: ask the server for the published questions every few seconds and add the
// new ones. Everything the public wrote is set with textContent, never parsed as HTML. Without
// JavaScript the page's 刷新 link does the same.
(function () {
  var article = document.getElementById("interview");
  var list = document.getElementById("transcript");
  if (!article || !list || !window.fetch) return;
  var url = article.dataset.transcriptUrl;
  var delay = Math.max(1, Number(article.dataset.pollSeconds) || 2) * 1000;
  var updated = document.getElementById("transcript-updated");

  function paragraph(className, who, text) {
    var p = document.createElement("p");
    p.className = className;
    var speaker = document.createElement("span");
    speaker.className = "who";
    speaker.textContent = who;
    var body = document.createElement("span");
    body.className = "text";
    body.textContent = text;
    p.appendChild(speaker);
    p.appendChild(body);
    return p;
  }

  function entry(item) {
    var li = document.createElement("li");
    li.className = "transcript-entry";
    li.dataset.id = String(item.id);
    li.appendChild(paragraph("transcript-question", "网友“" + item.nickname + "”问：", item.question));
    li.appendChild(paragraph("transcript-answer", item.answered_by + "答：", item.answer));
    return li;
  }

  function show(data) {
    var shown = {};
    list.querySelectorAll(".transcript-entry").forEach(function (li) { shown[li.dataset.id] = li; });
    var wanted = {};
    data.entries.forEach(function (item) {
      var id = String(item.id);
      wanted[id] = true;
      var fresh = entry(item);
      if (shown[id]) {
        if (shown[id].textContent !== fresh.textContent) list.replaceChild(fresh, shown[id]);
      } else {
        list.appendChild(fresh);
      }
    });
    Object.keys(shown).forEach(function (id) { if (!wanted[id]) list.removeChild(shown[id]); });
    document.getElementById("transcript-empty").hidden = data.entries.length > 0;
    document.getElementById("interview-status-label").textContent = data.status_label;
    if (updated) updated.textContent = "已更新，共 " + data.entries.length + " 条问答。";
    return data.status !== "ended";
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-cache" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data === null || show(data)) window.setTimeout(poll, delay);
      })
      .catch(function () { window.setTimeout(poll, delay * 3); });
  }

  window.setTimeout(poll, delay);
})();
