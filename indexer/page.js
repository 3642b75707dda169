// A citation is a link "#cite=<start>:<end>:<file>": open it in the document viewer.
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest('a[href^="#cite="]');
  if (!link) return;
  event.preventDefault();
  event.stopPropagation();
  const box = document.querySelector("#cite_request textarea, #cite_request input");
  const open = document.querySelector("#cite_open");
  if (!box || !open) return;
  box.value = link.getAttribute("href");
  box.dispatchEvent(new Event("input", { bubbles: true }));
  setTimeout(() => open.click(), 50);
}, true);
