// The embed's entry (/embed.js): defines <livedesk-feed>. Built alone into one file (scripts/embedBuild.ts).
import './livedesk-feed.js';
