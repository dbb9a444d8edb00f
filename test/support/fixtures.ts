/** Multilingual text that must round-trip byte-exact everywhere. */
export const RU = 'Митинг на площади Абая: «Мы требуем ответа»';
export const KK = 'Алматыда су тасқыны: құтқарушылар жұмыс істеп жатыр, ғимараттар қауіпсіз';
export const AR = 'تظاهرات في الساحة الرئيسية — ١٤:١٠';
export const MIXED = `${RU}\n\n${KK}\n\n${AR} 👩🏽‍💻 e\u0301`;

export function sameBytes(a: string, b: string): boolean {
  return Buffer.from(a, 'utf8').equals(Buffer.from(b, 'utf8'));
}
