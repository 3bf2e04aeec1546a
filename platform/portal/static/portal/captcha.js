// Read the text captcha aloud with the browser's own speech synthesis (no network needed).
(function () {
  if (!("speechSynthesis" in window)) return;
  document.querySelectorAll(".read-aloud-captcha").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var utterance = new SpeechSynthesisUtterance(button.dataset.text);
      utterance.lang = "zh-CN";
      window.speechSynthesis.cancel();
      window.speechSynthesis.speak(utterance);
    });
  });
})();
