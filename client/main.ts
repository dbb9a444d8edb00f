// Entry point of the desk app (index.html). Registers <ld-app> and everything it renders.
// index.html applies a stored theme before first paint; this keeps it right after later changes.
import './services/zodJitless.js';
import { applyTheme } from './services/theme.js';
import { registerServiceWorker } from './services/serviceWorker.js';
import './ld-app.js';

applyTheme();
registerServiceWorker();
