// Business cards with known fields, drawn for the card benchmark (`leadbook bench --cards`)
// and the card tests: Chinese, English and mixed cards in four layouts — left-aligned,
// centred, two columns, and a dark card with a logo panel — with logos and coloured
// backgrounds, and a degraded copy of each (turned ±4–8°, blurred, lit unevenly, saved as
// JPEG at quality 50). Drawn as SVG with Debian's CJK fonts (fonts-noto-cjk) by sharp.
import sharp from 'sharp';

export interface CardFields {
  name: string;
  company: string;
  title: string;
  mobile: string;
  email: string;
}

export type CardLanguage = 'zh' | 'en' | 'mixed';
export type CardLayout = 'left' | 'centred' | 'columns' | 'dark';
export const cardLayouts: readonly CardLayout[] = ['left', 'centred', 'columns', 'dark'];

export interface CardSpec {
  index: number;
  language: CardLanguage;
  layout: CardLayout;
  fields: CardFields;
  /** What the card prints besides the fields (an English name, an address, a website). */
  extra: string[];
}

/** A small deterministic generator: the same cards on every run. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const families = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '高',
];
const familyPinyin: Record<string, string> = {
  王: 'Wang',
  李: 'Li',
  张: 'Zhang',
  刘: 'Liu',
  陈: 'Chen',
  杨: 'Yang',
  黄: 'Huang',
  赵: 'Zhao',
  吴: 'Wu',
  周: 'Zhou',
  徐: 'Xu',
  孙: 'Sun',
  马: 'Ma',
  朱: 'Zhu',
  胡: 'Hu',
  郭: 'Guo',
  何: 'He',
  林: 'Lin',
  罗: 'Luo',
  高: 'Gao',
};
const givens: [string, string][] = [
  ['晓明', 'Xiaoming'],
  ['伟', 'Wei'],
  ['芳', 'Fang'],
  ['静', 'Jing'],
  ['强', 'Qiang'],
  ['丽华', 'Lihua'],
  ['建国', 'Jianguo'],
  ['海燕', 'Haiyan'],
  ['志强', 'Zhiqiang'],
  ['雪', 'Xue'],
  ['文博', 'Wenbo'],
  ['思远', 'Siyuan'],
  ['佳怡', 'Jiayi'],
  ['子涵', 'Zihan'],
  ['浩然', 'Haoran'],
];
const cities = ['上海', '北京', '深圳', '广州', '杭州', '苏州', '成都', '武汉', '南京', '西安'];
const brands = [
  '云帆',
  '华辰',
  '博远',
  '恒信',
  '星河',
  '卓越',
  '瑞达',
  '锦程',
  '天择',
  '鼎盛',
  '新锐',
  '汇智',
];
const trades = [
  '信息科技',
  '智能制造',
  '供应链管理',
  '医疗器械',
  '新材料',
  '电子商务',
  '精密机械',
  '环保科技',
];
const forms = ['有限公司', '股份有限公司', '集团有限公司'];
const zhTitles = [
  '销售总监',
  '采购经理',
  '市场部经理',
  '总经理',
  '技术总监',
  '大客户经理',
  '区域销售经理',
  '产品经理',
  '首席执行官',
  '运营主管',
];
const firstNames = [
  'James',
  'Emma',
  'Oliver',
  'Sophia',
  'Lucas',
  'Mia',
  'Daniel',
  'Laura',
  'Thomas',
  'Anna',
  'Michael',
  'Sarah',
  'David',
  'Julia',
  'Peter',
];
const lastNames = [
  'Miller',
  'Schmidt',
  'Johnson',
  'Brown',
  'Weber',
  'Taylor',
  'Fischer',
  'Wilson',
  'Moore',
  'Becker',
  'Clark',
  'Walker',
  'Young',
  'King',
  'Wright',
];
const enWords = [
  'Nordic',
  'Summit',
  'Bluewave',
  'Apex',
  'Crescent',
  'Ironbridge',
  'Lumen',
  'Northstar',
  'Pinecrest',
  'Vertex',
  'Harbor',
  'Silverline',
];
const enTrades = [
  'Technologies',
  'Logistics',
  'Systems',
  'Instruments',
  'Solutions',
  'Components',
  'Analytics',
  'Materials',
];
const enForms = ['Ltd.', 'Inc.', 'GmbH', 'Co., Ltd.', 'LLC'];
const enTitles = [
  'Sales Director',
  'Purchasing Manager',
  'Marketing Manager',
  'Managing Director',
  'Chief Technology Officer',
  'Key Account Manager',
  'Regional Sales Manager',
  'Product Manager',
  'Head of Procurement',
  'Business Development Manager',
];
const palettes = [
  { bg: '#ffffff', ink: '#1b1b1b', accent: '#1f4e8c' },
  { bg: '#f4f1ea', ink: '#222222', accent: '#9c2f2f' },
  { bg: '#eef5f0', ink: '#1d2b22', accent: '#1e7a4c' },
  { bg: '#f2f4fa', ink: '#1e2235', accent: '#5b3fa0' },
  { bg: '#fff7e6', ink: '#2b2412', accent: '#c26a00' },
];

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const digits = (r: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(r() * 10)).join('');

/** Card `index` of the set: its language, layout and fields (the same on every run). */
export function cardSpec(index: number): CardSpec {
  const r = random(index * 7919 + 17);
  const language: CardLanguage = (['zh', 'en', 'mixed'] as const)[index % 3]!;
  const layout = cardLayouts[Math.floor(index / 3) % cardLayouts.length]!;
  const family = pick(r, families);
  const [given, givenPinyin] = pick(r, givens);
  const cnName = family + given;
  const pinyinName = `${givenPinyin} ${familyPinyin[family]}`;
  const prefix = pick(r, ['13', '15', '18', '17', '19']);
  const mobile = `${prefix}${digits(r, 9)}`;
  const extra: string[] = [];
  let fields: CardFields;
  if (language === 'en') {
    const first = pick(r, firstNames);
    const last = pick(r, lastNames);
    const word = pick(r, enWords);
    fields = {
      name: `${first} ${last}`,
      company: `${word} ${pick(r, enTrades)} ${pick(r, enForms)}`,
      title: pick(r, enTitles),
      mobile: `+86 ${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`,
      email: `${first.toLowerCase()}.${last.toLowerCase()}@${word.toLowerCase()}.com`,
    };
    extra.push(
      `www.${word.toLowerCase()}.com`,
      `${1 + Math.floor(r() * 200)} Century Avenue, Shanghai`,
    );
  } else {
    const city = pick(r, cities);
    const brand = pick(r, brands);
    const domain = `${brand === '云帆' ? 'yunfan' : 'co'}${digits(r, 2)}`;
    fields = {
      name: cnName,
      company: `${city}${brand}${pick(r, trades)}${pick(r, forms)}`,
      title: language === 'zh' ? pick(r, zhTitles) : `${pick(r, zhTitles)} ${pick(r, enTitles)}`,
      mobile: `${mobile.slice(0, 3)} ${mobile.slice(3, 7)} ${mobile.slice(7)}`,
      email: `${pinyinName.split(' ').reverse().join('.').toLowerCase()}@${domain}.com.cn`,
    };
    if (language === 'mixed') extra.push(pinyinName);
    extra.push(
      `${city}市${pick(r, ['浦东新区', '海淀区', '南山区', '天河区', '西湖区'])}${pick(r, ['科技路', '创新大道', '工业园路'])}${1 + Math.floor(r() * 300)}号`,
    );
  }
  return { index, language, layout, fields, extra };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const FONT = 'Noto Sans CJK SC, Noto Sans, sans-serif';
const W = 1000;
const H = 600;

function text(x: number, y: number, size: number, fill: string, s: string, opts = '') {
  return `<text x="${x}" y="${y}" font-family="${FONT}" font-size="${size}" fill="${fill}" ${opts}>${esc(s)}</text>`;
}

function logo(x: number, y: number, size: number, colour: string, letter: string) {
  return `<g><circle cx="${x + size / 2}" cy="${y + size / 2}" r="${size / 2}" fill="${colour}"/>
    <rect x="${x + size * 0.28}" y="${y + size * 0.28}" width="${size * 0.44}" height="${size * 0.44}" fill="#ffffff" opacity="0.35" transform="rotate(45 ${x + size / 2} ${y + size / 2})"/>
    ${text(x + size / 2, y + size * 0.66, size * 0.42, '#ffffff', letter, 'text-anchor="middle" font-weight="bold"')}</g>`;
}

/** The card as SVG. */
export function cardSvg(spec: CardSpec): string {
  const { fields: f, language, layout, extra } = spec;
  const p = palettes[spec.index % palettes.length]!;
  const zh = language !== 'en';
  const mobileLabel = zh ? '手机：' : 'M: ';
  const emailLabel = zh ? '邮箱：' : 'E: ';
  const letter = f.company.slice(zh ? 2 : 0, zh ? 3 : 1);
  const parts: string[] = [];
  if (layout === 'left') {
    parts.push(
      `<rect width="${W}" height="${H}" fill="${p.bg}"/>`,
      `<rect width="${W}" height="14" fill="${p.accent}"/>`,
    );
    parts.push(logo(840, 50, 110, p.accent, letter));
    parts.push(text(70, 140, 58, p.ink, f.name, 'font-weight="bold"'));
    let y = 140;
    if (extra[0] && language === 'mixed') parts.push(text(70, (y += 44), 26, p.ink, extra[0]));
    parts.push(text(70, (y += 46), 28, p.ink, f.title));
    parts.push(text(70, 320, 32, p.accent, f.company, 'font-weight="bold"'));
    parts.push(text(70, 420, 27, p.ink, mobileLabel + f.mobile));
    parts.push(text(70, 465, 27, p.ink, emailLabel + f.email));
    parts.push(text(70, 510, 24, p.ink, extra[extra.length - 1]!));
  } else if (layout === 'centred') {
    parts.push(`<rect width="${W}" height="${H}" fill="${p.bg}"/>`);
    parts.push(
      `<rect x="20" y="20" width="${W - 40}" height="${H - 40}" fill="none" stroke="${p.accent}" stroke-width="3"/>`,
    );
    parts.push(logo(W / 2 - 45, 45, 90, p.accent, letter));
    parts.push(
      text(W / 2, 185, 30, p.accent, f.company, 'text-anchor="middle" font-weight="bold"'),
    );
    parts.push(text(W / 2, 275, 56, p.ink, f.name, 'text-anchor="middle" font-weight="bold"'));
    let y = 275;
    if (language === 'mixed')
      parts.push(text(W / 2, (y += 40), 24, p.ink, extra[0]!, 'text-anchor="middle"'));
    parts.push(text(W / 2, (y += 45), 28, p.ink, f.title, 'text-anchor="middle"'));
    parts.push(text(W / 2, 440, 26, p.ink, mobileLabel + f.mobile, 'text-anchor="middle"'));
    parts.push(text(W / 2, 485, 26, p.ink, emailLabel + f.email, 'text-anchor="middle"'));
    parts.push(text(W / 2, 530, 22, p.ink, extra[extra.length - 1]!, 'text-anchor="middle"'));
  } else if (layout === 'columns') {
    parts.push(
      `<rect width="${W}" height="${H}" fill="${p.bg}"/>`,
      `<rect y="${H - 90}" width="${W}" height="90" fill="${p.accent}"/>`,
    );
    parts.push(logo(60, 50, 80, p.accent, letter));
    parts.push(text(160, 105, 28, p.accent, f.company, 'font-weight="bold"'));
    parts.push(text(60, 260, 54, p.ink, f.name, 'font-weight="bold"'));
    let y = 260;
    if (language === 'mixed') parts.push(text(60, (y += 40), 24, p.ink, extra[0]!));
    parts.push(text(60, (y += 46), 26, p.ink, f.title));
    parts.push(text(560, 250, 25, p.ink, mobileLabel + f.mobile));
    parts.push(text(560, 300, 25, p.ink, emailLabel + f.email));
    parts.push(text(60, H - 35, 23, '#ffffff', extra[extra.length - 1]!));
  } else {
    parts.push(
      `<rect width="${W}" height="${H}" fill="#1d232c"/>`,
      `<rect width="300" height="${H}" fill="${p.accent}"/>`,
    );
    parts.push(logo(95, 200, 110, '#ffffff33', letter));
    parts.push(text(350, 130, 56, '#ffffff', f.name, 'font-weight="bold"'));
    let y = 130;
    if (language === 'mixed') parts.push(text(350, (y += 42), 24, '#d9dee6', extra[0]!));
    parts.push(text(350, (y += 46), 27, '#d9dee6', f.title));
    parts.push(text(350, 300, 29, '#ffffff', f.company, 'font-weight="bold"'));
    parts.push(text(350, 400, 26, '#e8ecf1', mobileLabel + f.mobile));
    parts.push(text(350, 445, 26, '#e8ecf1', emailLabel + f.email));
    parts.push(text(350, 490, 22, '#c4cad3', extra[extra.length - 1]!));
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${parts.join('')}</svg>`;
}

/** The clean card as a PNG. */
export function cleanCard(spec: CardSpec): Promise<Buffer> {
  return sharp(Buffer.from(cardSvg(spec)))
    .png()
    .toBuffer();
}

/** The same card as a hurried phone photo: turned 4–8° either way, blurred, lit
 * unevenly (a shadow across one side), on a grey table, saved as JPEG at quality 50. */
export async function degradedCard(spec: CardSpec): Promise<Buffer> {
  const r = random(spec.index * 104729 + 3);
  const angle = (4 + r() * 4) * (r() < 0.5 ? -1 : 1);
  const light = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
    <defs><linearGradient id="g" x1="${r() < 0.5 ? 0 : 1}" y1="0" x2="${r() < 0.5 ? 1 : 0}" y2="1">
      <stop offset="0" stop-color="#000" stop-opacity="0.45"/><stop offset="0.6" stop-color="#000" stop-opacity="0.08"/>
      <stop offset="1" stop-color="#fff" stop-opacity="0.1"/></linearGradient></defs>
    <rect width="${W}" height="${H}" fill="url(#g)"/></svg>`;
  const lit = await sharp(Buffer.from(cardSvg(spec)))
    .composite([{ input: Buffer.from(light), blend: 'over' }])
    .png()
    .toBuffer();
  return sharp(lit)
    .rotate(angle, { background: '#8a8d91' })
    .blur(1 + r() * 0.6)
    .jpeg({ quality: 50 })
    .toBuffer();
}
