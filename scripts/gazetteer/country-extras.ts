// Country facts no package has: abbreviations, seats of government, agencies, and look-alike traps.

/** Written exactly like this only ("US", not "us"). */
export const ABBREVIATIONS: Record<string, string[]> = {
  US: ["US", "U.S.", "USA", "U.S.A."],
  GB: ["UK", "U.K."],
  CN: ["PRC"],
  KP: ["DPRK"],
  AE: ["UAE"],
  KR: ["ROK"],
  CD: ["DRC"],
};

/** Everyday English names the package lacks or lists under another spelling. */
export const EXTRA_NAMES: Record<string, string[]> = {
  US: ["America", "United States"],
  GB: ["Britain", "Great Britain", "England", "Scotland", "Wales", "Northern Ireland"],
  TR: ["Turkey"],
  NL: ["Holland"],
  CZ: ["Czech Republic"],
  MM: ["Burma"],
  RU: ["Russian Federation"],
  KR: ["Republic of Korea"],
  MK: ["Macedonia"],
};

export const EXTRA_DEMONYMS: Record<string, string[]> = {
  GB: ["Briton", "Brit", "Scottish", "Welsh"],
  SA: ["Saudi"],
  KP: ["North Korean"],
  KR: ["South Korean"],
  US: ["American"],
  NZ: ["New Zealander"],
};

/** Capitals that stand for their government ("Beijing denied ..."); tagged only in that sense. */
export const GOVERNMENT_CAPITALS: Record<string, string[]> = {
  CN: ["Beijing"],
  RU: ["Moscow"],
  KP: ["Pyongyang"],
  IR: ["Tehran"],
  AU: ["Canberra"],
  NZ: ["Wellington"],
  US: ["Washington"],
  GB: ["London"],
  CA: ["Ottawa"],
  FR: ["Paris"],
  DE: ["Berlin"],
  JP: ["Tokyo"],
  KR: ["Seoul"],
  TW: ["Taipei"],
  UA: ["Kyiv", "Kiev"],
  IN: ["New Delhi"],
  PK: ["Islamabad"],
  VN: ["Hanoi"],
  BY: ["Minsk"],
  SY: ["Damascus"],
  TR: ["Ankara"],
  SA: ["Riyadh"],
  IL: ["Jerusalem"],
  AE: ["Abu Dhabi"],
};

/**
 * Places that put a victim in their country ("a Texas school district", "a Tokyo-based firm"), tagged only where
 * the phrase names a victim. US states (Georgia and Washington are handled as the country and the capital) and
 * large cities whose names are not also common words; a capital's place sense comes from GOVERNMENT_CAPITALS.
 */
export const PLACES: Record<string, string[]> = {
  US: [
    ...["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware"],
    ...["Florida", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana"],
    ...["Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana"],
    ...["Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina"],
    ...["North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina"],
    ...["South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "West Virginia", "Wisconsin"],
    ...["Wyoming", "Los Angeles", "San Francisco", "Chicago", "Houston", "Philadelphia", "Seattle"],
  ],
  GB: ["Manchester", "Glasgow", "Edinburgh", "Belfast"],
  AU: ["Sydney", "Melbourne", "Brisbane"],
  CA: ["Toronto", "Montreal"],
  DE: ["Munich", "Frankfurt", "Hamburg"],
  IN: ["Mumbai", "Bengaluru", "Bangalore"],
  CN: ["Shanghai", "Shenzhen", "Guangzhou"],
  JP: ["Osaka"],
  IL: ["Tel Aviv"],
  PL: ["Warsaw"],
  ES: ["Madrid", "Barcelona"],
  IT: ["Rome", "Milan"],
  NL: ["Amsterdam", "Rotterdam"],
  SE: ["Stockholm"],
  NO: ["Oslo"],
  FI: ["Helsinki"],
  DK: ["Copenhagen"],
  AT: ["Vienna"],
  CZ: ["Prague"],
  TR: ["Istanbul"],
  PH: ["Manila"],
  ID: ["Jakarta"],
  TH: ["Bangkok"],
  MY: ["Kuala Lumpur"],
  AE: ["Dubai"],
};

/** Seats of government that always mean the government. */
export const SEATS: Record<string, string[]> = {
  RU: ["Kremlin"],
  US: ["White House", "Pentagon"],
  GB: ["Whitehall", "Downing Street"],
  CN: ["Zhongnanhai"],
};

export interface AgencyDef {
  names: string[];
  /** Acronyms that also mean something else outside security news need a cyber cue nearby. */
  cue?: boolean;
  /** Spy and military agencies whose naming attributes the activity to their state. */
  intel?: boolean;
}

// "NCSC" is left out on purpose: the UK, New Zealand, Ireland, the Netherlands and others all have one.
export const AGENCIES: Record<string, AgencyDef[]> = {
  NZ: [{ names: ["GCSB", "Government Communications Security Bureau", "NZSIS"] }],
  AU: [
    { names: ["ACSC", "ASIO", "Australian Signals Directorate", "Australian Cyber Security Centre"] },
    { names: ["ASD"], cue: true },
  ],
  US: [
    {
      names: [
        "CISA",
        "FBI",
        "NSA",
        "Cybersecurity and Infrastructure Security Agency",
        "National Security Agency",
        "Federal Bureau of Investigation",
        "Department of Homeland Security",
        "DHS",
        "US Cyber Command",
      ],
    },
  ],
  GB: [{ names: ["GCHQ", "MI5", "MI6", "Government Communications Headquarters"] }],
  DE: [{ names: ["Federal Office for Information Security", "BfV"] }, { names: ["BSI"], cue: true }],
  FR: [{ names: ["ANSSI", "DGSE"] }],
  CA: [{ names: ["CCCS", "Communications Security Establishment"] }, { names: ["CSE"], cue: true }],
  UA: [{ names: ["CERT-UA", "SBU", "SSSCIP"] }],
  NL: [{ names: ["AIVD", "MIVD"] }],
  JP: [{ names: ["JPCERT", "JPCERT/CC"] }],
  RU: [{ names: ["GRU", "FSB", "SVR", "Unit 26165", "Unit 74455", "Unit 29155"], intel: true }],
  CN: [
    {
      names: ["Ministry of State Security", "People's Liberation Army", "MSS", "PLA", "Unit 61398"],
      intel: true,
    },
  ],
  IR: [{ names: ["IRGC", "MOIS", "Islamic Revolutionary Guard Corps"], intel: true }],
  KP: [
    { names: ["Reconnaissance General Bureau"], intel: true },
    { names: ["RGB"], cue: true, intel: true },
  ],
};

/** Country names that are also common first names or surnames ("Jordan Peterson", "Chad Smith"). */
export const PERSON_NAMES = ["Jordan", "Chad", "Georgia", "Israel", "India", "Kenya", "Jersey"];

/** Country names that are also US states. */
export const US_STATE_NAMES = ["Georgia"];

/** Phrases holding a country word that are not about that country; matched and then ignored. */
export const BLOCKERS = [
  "New Mexico",
  "New Jersey",
  "New Guinea",
  "New South Wales",
  "New England",
  "New York",
  "Jersey City",
  "Georgia Tech",
  "Washington State",
  "Washington Post",
  "South China Sea",
  "East China Sea",
  "China Sea",
  "Indian Ocean",
  "American Indian",
  "Native American",
  "South America",
  "North America",
  "Latin America",
  "Central America",
  "French fries",
  "Swiss cheese",
  "Turkish delight",
  "Dutch oven",
  "Russian roulette",
  "Guinea pig",
  "Brussels sprouts",
  "Cobalt Strike",
];

/** Package alternative spellings that are ambiguous on their own. */
export const DROPPED_ALTS = ["Congo", "Mann", "Viti", "Lao", "Thai", "Zhonghua", "Sakartvelo"];
