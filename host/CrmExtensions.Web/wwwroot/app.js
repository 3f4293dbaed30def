// Progressive enhancement only: every form works without this script.
// Forms marked data-inplace are posted in the background and their item is updated where it stands.
document.addEventListener('submit', async (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute('data-inplace')) return;
  event.preventDefault();
  const data = new FormData(form);
  if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
  const item = form.closest('[data-item]');
  try {
    const response = await fetch(form.action, { method: 'POST', body: data, headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin' });
    if (!response.ok) { form.submit(); return; }
    const text = await response.text();
    if (item) {
      item.classList.add('closed');
      item.querySelectorAll('form').forEach((f) => f.remove());
      const note = document.createElement('div');
      note.className = 'muted small';
      note.setAttribute('role', 'status');
      note.textContent = text;
      item.querySelector('.what')?.appendChild(note);
    }
  } catch {
    form.submit();
  }
});
