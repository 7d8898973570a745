// "Georgia" the US state, not the country: places, offices and neighbouring states that put it in the US.

import { wordSet } from "./cues.js";
import { CAP, SENT, type Tokens } from "./tokenizer.js";

const set = wordSet;

/** Words after the name that put it in the US: its government and elections ("Georgia voters"). */
const STATE_WORDS = set(`state governor county counties legislature statehouse election elections voter voters
  ballot ballots secretary senator senate republicans democrats primary primaries attorney bureau tech`);
/** "the state of Georgia", "Fulton County, Georgia". */
const STATE_BEFORE = set("state county");
/** Other US states (a distinctive word of each), read as neighbours in a list: "Georgia and Arizona". */
const US_STATES = set(`alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii
  idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota
  mississippi missouri montana nebraska nevada hampshire jersey mexico york carolina dakota ohio oklahoma oregon
  pennsylvania rhode tennessee texas utah vermont virginia washington wisconsin wyoming`);
/** Cities of the country, which also write "Tbilisi, Georgia". */
const COUNTRY_CITIES = set("tbilisi batumi kutaisi rustavi");
const LIST = set("and or");

/** Another US state within two words, across "and", "or" or a comma. */
function besideState(t: Tokens, first: number, last: number): boolean {
  for (const [k, step] of [
    [first - 1, -1],
    [last + 1, 1],
  ] as const) {
    let j = k;
    if (LIST.has(t.hash[j] as number)) j += step;
    if (j < 0 || j >= t.n) continue;
    const inside = step > 0 ? j : j + 1;
    if (((t.flags[inside] as number) & SENT) !== 0 && inside !== first) continue;
    if (US_STATES.has(t.hash[j] as number) && ((t.flags[j] as number) & CAP) !== 0) return true;
  }
  return false;
}

/** True when the name at `first..last` is the US state here. */
export function usState(t: Tokens, first: number, last: number): boolean {
  // "Atlanta, Georgia": a capitalised place, a comma, then the name (not "Tbilisi, Georgia").
  const p = first - 1;
  if (p >= 0 && ((t.flags[p] as number) & CAP) !== 0 && !COUNTRY_CITIES.has(t.hash[p] as number)) {
    const gap = t.text.slice(t.end[p] as number, t.start[first] as number);
    if (gap === ", ") return true;
  }
  for (let k = last + 1; k < t.n && k <= last + 3; k++) if (STATE_WORDS.has(t.hash[k] as number)) return true;
  if (p >= 1 && STATE_BEFORE.has(t.hash[p - 1] as number)) return true;
  return besideState(t, first, last);
}
