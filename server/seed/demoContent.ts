import type { EntryStatus } from '../../shared/workflow.js';

/** Demo coverage written for Livedesk: invented events, real languages (ru, kk, en). */
export interface DemoEntry {
  minutesAgo: number;
  author: 'correspondent' | 'editor' | 'editor2' | 'chief';
  status: EntryStatus;
  headline?: string;
  text: string;
  keyEvent?: boolean;
  pinned?: boolean;
}

export const DEMO_FILE = { title: 'Almaty floods: live coverage', timezone: 'Asia/Almaty' };

export const DEMO_ENTRIES: DemoEntry[] = [
  { minutesAgo: 180, author: 'editor', status: 'published', headline: 'What we know', pinned: true,
    text: 'Heavy rain since Sunday night has flooded parts of Almaty.\n\nEmergency services have opened shelters in three districts. This post is updated as we learn more.' },
  { minutesAgo: 165, author: 'correspondent', status: 'published',
    text: 'Вода поднялась на улицах Медеуского района. Жители выносят вещи на вторые этажи.' },
  { minutesAgo: 150, author: 'correspondent', status: 'published',
    text: 'Медеу ауданында су көшелерге шықты. Тұрғындар заттарын екінші қабатқа шығарып жатыр.' },
  { minutesAgo: 130, author: 'editor2', status: 'published', headline: 'Dam breach confirmed', keyEvent: true,
    text: 'The city akimat confirmed a breach in the small dam above the Malaya Almatinka river at 11:40 local time.' },
  { minutesAgo: 120, author: 'chief', status: 'published',
    text: 'Акимат города: «Эвакуация проводится в штатном режиме, паники нет».' },
  { minutesAgo: 100, author: 'correspondent', status: 'submitted',
    text: 'Құтқарушылар қайықпен 40-тан астам адамды эвакуациялады. Балалар мен қарттар алдымен шығарылды.' },
  { minutesAgo: 85, author: 'editor', status: 'published', headline: 'Where to get help', keyEvent: true,
    text: 'Shelters are open at School No. 12 (Dostyk Ave), the Baluan Sholak sports palace and the Medeu district akimat.\n\nEmergency line: 112.' },
  { minutesAgo: 70, author: 'correspondent', status: 'submitted',
    text: 'На проспекте Аль-Фараби перекрыто движение в обе стороны, пробка растянулась на несколько километров.' },
  { minutesAgo: 55, author: 'editor2', status: 'submitted',
    text: 'Power is out in about 6,000 homes in the upper districts, the grid operator says. Repairs wait for the water to drop.' },
  { minutesAgo: 40, author: 'correspondent', status: 'draft',
    text: 'Жаңбыр әлсіреді, бірақ синоптиктер кешке қарай жаңа нөсер болатынын ескертеді.' },
  { minutesAgo: 25, author: 'editor', status: 'draft', headline: 'Forecast',
    text: 'Kazhydromet expects another band of rain after 18:00; the flood warning stays in force until Wednesday morning.' },
  { minutesAgo: 10, author: 'chief', status: 'draft',
    text: 'Мы уточняем данные о пострадавших. Официальных сообщений о погибших нет.' },
];
