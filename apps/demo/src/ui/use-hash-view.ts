import { useEffect, useState } from 'react';

export type View = 'home' | 'topics';

function viewFromHash(hash: string): View {
  return hash === '#/topics' ? 'topics' : 'home';
}

/** The current view from the URL hash (`#/topics`), so views can be linked and the query (`?kiosk=1`) survives. */
export function useHashView(): View {
  const [view, setView] = useState(() => viewFromHash(location.hash));
  useEffect(() => {
    const onChange = () => setView(viewFromHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return view;
}
