// Entry point of the desk app (index.html). Registers <ld-app> and everything it renders.
import './ld-app.js';
