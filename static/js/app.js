// Progressive enhancements only: every page works without this file.
"use strict";

document.addEventListener("submit", (event) => {
  // Forms that destroy or end something ask first: <form data-confirm="End this pair?">.
  const form = event.target;
  const message = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

document.addEventListener("keydown", (event) => {
  // Escape closes an open account menu, as a keyboard user expects.
  if (event.key === "Escape") {
    document.querySelectorAll("details.account-menu[open]").forEach((menu) => {
      menu.removeAttribute("open");
      menu.querySelector("summary")?.focus();
    });
  }
});

document.addEventListener("click", (event) => {
  // <button data-copy-target="field-id"> copies that field's value to the clipboard.
  const button = event.target instanceof Element ? event.target.closest("[data-copy-target]") : null;
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field) return;
  field.select();
  const done = () => {
    const original = button.textContent;
    button.textContent = "Copied";
    setTimeout(() => { button.textContent = original; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => document.execCommand("copy") && done());
  } else if (document.execCommand("copy")) {
    done();
  }
});

function closeAccountMenus(except) {
  document.querySelectorAll("details.account-menu[open]").forEach((menu) => {
    if (menu !== except) menu.removeAttribute("open");
  });
}

document.addEventListener("click", (event) => {
  // A click anywhere outside the account menu closes it.
  const inside = event.target instanceof Element ? event.target.closest("details.account-menu") : null;
  closeAccountMenus(inside);
});

document.addEventListener("focusin", (event) => {
  // Tabbing out of the account menu closes it too.
  const inside = event.target instanceof Element ? event.target.closest("details.account-menu") : null;
  closeAccountMenus(inside);
});
