// Recognises vendor naming schemes so an actor's best-known names are listed first.

const MICROSOFT =
  /^[A-Za-z]+ (Typhoon|Blizzard|Sandstorm|Sleet|Tempest|Flood|Hail|Dust|Cyclone|Rain|Lightning|Tsunami|Squall|Gust)$/i;
const MICROSOFT_DEV = /^(Storm|DEV)-?\d+$/i;
const CROWDSTRIKE =
  /^[A-Za-z]+ (Panda|Bear|Kitten|Chollima|Spider|Tiger|Jackal|Leopard|Buffalo|Crane|Ocelot|Hawk|Wolf|Lynx|Saiga)$/i;
const MANDIANT = /^(APT|UNC|FIN)[ -]?\d+$|^TEMP\.[A-Za-z]+$/i;
const SECUREWORKS =
  /^(BRONZE|IRON|COBALT|NICKEL|GOLD|TUNGSTEN|PLATINUM|ZINC|COPPER|ALUMINUM|BARIUM|TIN|SILVER) [A-Z]+$/;
const PROOFPOINT = /^TA ?\d{3,4}$/i;
const ATTACK_ID = /^G\d{4}$/;
const ELEMENT = /^[A-Z]+IUM$|^(ZINC|LEAD|GOLD|PLATINUM|HYDROGEN|OXYGEN|BORON|IODINE|KRYPTON|MERCURY|NICKEL)$/;

// Lower rank = listed earlier.
const RANK: Record<string, number> = {
  microsoft: 1,
  crowdstrike: 2,
  mandiant: 3,
  mitre: 4,
  secureworks: 5,
  proofpoint: 6,
  other: 7,
  "microsoft-legacy": 8,
  "microsoft-dev": 9,
  "attack-id": 10,
};

export function schemeOf(alias: string, isMitreName: boolean): string {
  if (MICROSOFT.test(alias)) return "microsoft";
  if (CROWDSTRIKE.test(alias)) return "crowdstrike";
  if (MANDIANT.test(alias)) return "mandiant";
  if (isMitreName) return "mitre";
  if (SECUREWORKS.test(alias)) return "secureworks";
  if (PROOFPOINT.test(alias)) return "proofpoint";
  if (ATTACK_ID.test(alias)) return "attack-id";
  if (MICROSOFT_DEV.test(alias)) return "microsoft-dev";
  if (ELEMENT.test(alias)) return "microsoft-legacy";
  return "other";
}

export const schemeRank = (scheme: string): number => RANK[scheme] ?? 7;
