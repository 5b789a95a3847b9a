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
