/* Article reading tools of the unified theme: font size, read-aloud, print, copy link.
   Everything here works offline: read-aloud uses the browser's own speech synthesis. */
(function () {
  "use strict";

  var SIZE_KEY = "theme-article-font-size";

  function setFontSize(article, size, buttons) {
    article.setAttribute("data-font-size", size);
    buttons.forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-font-size") === size ? "true" : "false");
    });
    try { window.localStorage.setItem(SIZE_KEY, size); } catch (error) { /* private mode: not remembered */ }
  }

  function fontSizeSwitch() {
    var article = document.querySelector(".article");
    var buttons = Array.prototype.slice.call(document.querySelectorAll("[data-font-size]")).filter(function (node) {
      return node.tagName === "BUTTON";
    });
    if (!article || !buttons.length) { return; }
    buttons[0].parentNode.hidden = false;
    var saved = null;
    try { saved = window.localStorage.getItem(SIZE_KEY); } catch (error) { saved = null; }
    if (saved) { setFontSize(article, saved, buttons); }
    buttons.forEach(function (button) {
      button.addEventListener("click", function () { setFontSize(article, button.getAttribute("data-font-size"), buttons); });
    });
  }

  function readAloud() {
    var button = document.querySelector(".read-aloud");
    if (!button || !("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") { return; }
    var target = document.querySelector(button.getAttribute("data-read-target"));
    var title = document.querySelector(".article h1");
    button.hidden = false;
    button.addEventListener("click", function () {
      var synthesis = window.speechSynthesis;
      if (synthesis.speaking) {
        synthesis.cancel();
        button.textContent = "朗读全文";
        return;
      }
      var text = (title ? title.textContent + "。" : "") + (target ? target.textContent : "");
      var utterance = new window.SpeechSynthesisUtterance(text.replace(/\s+/g, " ").trim());
      utterance.lang = "zh-CN";
      utterance.rate = 0.9;
      utterance.onend = function () { button.textContent = "朗读全文"; };
      button.textContent = "停止朗读";
      synthesis.speak(utterance);
    });
  }

  function printButton() {
    var button = document.querySelector(".print-page");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  }

  function copyLink() {
    var button = document.querySelector(".copy-link");
    if (!button || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.textContent = "已复制";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fontSizeSwitch();
    readAloud();
    printButton();
    copyLink();
  });
})();
