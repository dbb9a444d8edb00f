import { describe, expect, it } from 'vitest';
import { formatDayAndTime, formatTimeOrDate } from '../../client/format.js';

describe('desk times', () => {
  const now = new Date('2026-12-01T19:30:00Z'); // 00:30 on 2 Dec in Almaty (UTC+5)
  it('[PH1] a time from another day in the file\'s zone comes apart as its day and HH:mm, joined as formatTimeOrDate writes it; today\'s has no day', () => {
    const yesterday = formatDayAndTime('2026-12-01T16:07:00Z', 'Asia/Almaty', now);
    expect(yesterday).toEqual({ day: '1 Dec', time: '21:07' });
    expect(formatTimeOrDate('2026-12-01T16:07:00Z', 'Asia/Almaty', now)).toBe(`${yesterday.day}, ${yesterday.time}`);
    expect(formatDayAndTime('2026-12-01T19:25:00Z', 'Asia/Almaty', now)).toEqual({ day: null, time: '00:25' });
    expect(formatDayAndTime('2026-12-01T16:07:00Z', 'UTC', now)).toEqual({ day: null, time: '16:07' });
    expect(formatDayAndTime('not a date', 'Asia/Almaty', now)).toEqual({ day: null, time: '' });
    expect(formatDayAndTime('2026-12-01T16:07:00Z', 'Not/AZone', now)).toEqual({ day: null, time: '16:07' }); // unknown zone: UTC
  });
});
