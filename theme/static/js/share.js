/* Share buttons, progressive enhancement (plugins/share, theme/templates/partials/share.html).
   Without JavaScript every share link works as a plain link; this file adds copy-link and lets a
   visitor choose their own Mastodon server. Same-origin file, no inline script (CSP). */
(function () {
  "use strict";

  // A host name: labels of letters, digits and hyphens, dots between, a top-level label of letters.
  var HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

  // "https://mastodon.social/", "@me@mastodon.social" and "mastodon.social" all mean mastodon.social.
  function hostFrom(input) {
    var value = input.trim().toLowerCase().replace(/^[a-z]+:\/\//, "").replace(/[/?#].*$/, "");
    value = value.replace(/^@?[^@]*@/, "");
    return HOST.test(value) ? value : null;
  }

  function setUpCopy(section) {
    var item = section.querySelector("[data-share-copy-item]");
    var button = section.querySelector("[data-share-copy]");
    var status = section.querySelector("[data-share-status]");
    if (!item || !button || !navigator.clipboard) return;
    item.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-share-copy")).then(function () {
        status.textContent = section.getAttribute("data-copied");
      }, function () {
        status.textContent = section.getAttribute("data-copy-failed");
      });
    });
  }

  function setUpMastodon(section) {
    var link = section.querySelector("[data-share-mastodon]");
    var dialog = section.querySelector("[data-share-dialog]");
    if (!link || !dialog || typeof dialog.showModal !== "function") return;
    var form = dialog.querySelector("form");
    var input = form.querySelector("input");
    var error = form.querySelector(".form-field__error");
    var describedBy = input.getAttribute("aria-describedby");

    function showError(show) {
      error.hidden = !show;
      if (show) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", error.id + " " + describedBy);
      } else {
        input.removeAttribute("aria-invalid");
        input.setAttribute("aria-describedby", describedBy);
      }
    }

    link.addEventListener("click", function (event) {
      event.preventDefault();
      showError(false);
      dialog.showModal();
      input.focus();
      input.select();
    });
    form.addEventListener("submit", function (event) {
      if (event.submitter && event.submitter.value === "cancel") return;  // the dialog closes itself
      event.preventDefault();
      var host = hostFrom(input.value);
      if (!host) {
        showError(true);
        input.focus();
        return;
      }
      dialog.close();
      window.location.assign("https://" + host + "/share?text=" +
        encodeURIComponent(link.getAttribute("data-share-mastodon")));
    });
    dialog.addEventListener("close", function () { link.focus(); });
  }

  document.querySelectorAll(".share").forEach(function (section) {
    setUpCopy(section);
    setUpMastodon(section);
  });
})();
