import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Tracks the two layout facts the live-file header depends on, from media queries, and
 * re-renders the host when either changes (rotation, window resize, devtools emulation).
 */
export class PhoneLayoutController implements ReactiveController {
  /** Phone width: the header keeps to one row (a shorter facepile). */
  narrow = false;
  /** A touch phone: no keyboard for the shortcut sheet, so no button for it (? still opens it). */
  touchPhone = false;
  private readonly narrowQuery = matchMedia('(max-width: 600px)');
  private readonly touchPhoneQuery = matchMedia('(max-width: 600px) and (pointer: coarse)');

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected() {
    this.narrowQuery.addEventListener('change', this.onChange);
    this.touchPhoneQuery.addEventListener('change', this.onChange);
    this.onChange();
  }
  hostDisconnected() {
    this.narrowQuery.removeEventListener('change', this.onChange);
    this.touchPhoneQuery.removeEventListener('change', this.onChange);
  }

  private readonly onChange = () => {
    const narrow = this.narrowQuery.matches;
    const touchPhone = this.touchPhoneQuery.matches;
    if (narrow === this.narrow && touchPhone === this.touchPhone) return;
    this.narrow = narrow;
    this.touchPhone = touchPhone;
    this.host.requestUpdate();
  };
}
