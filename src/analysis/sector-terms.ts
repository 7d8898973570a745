// The sector vocabulary: victim words per sector, the attack words they must stand near, and ordinary phrases.

/**
 * One line per sector, `id: form | form | ...`. A form's words are matched as tokens (case and hyphens ignored).
 * Forms name victims (organisations, systems, people of a sector), not topics: "embassy" is diplomacy,
 * "diplomacy" is not a cue. A cue counts only within a few words of an attack word in the same sentence.
 */
export const SECTOR_TERMS = `
government: parliament | parliaments | parliamentary | parliamentarian | parliamentarians | lawmakers | legislators
government: legislature | legislatures | senators | congressional | members of congress | mps
government: government systems | government system | government networks | government network
government: government agencies | government agency | government departments | government department
government: government ministries | government websites | government website | government entities
government: government bodies | government organisations | government organizations | government institutions
government: government officials | government employees | government email | government emails
government: government servers | government computers | government offices | government portal
government: government portals | government services | government targets | government sector | government it
government: federal agencies | federal agency | federal government | federal networks | state agencies
government: local government | local governments | local authority | local authorities | local council
government: local councils | city council | city councils | county council | municipality | municipalities
government: municipal | city hall | public sector | public administration | ministry | ministries
government: treasury department | interior ministry | home office | tax authority | tax agency | civil servants
government: finance department | finance ministry | ministry of finance | department of finance | treasury
government: justice department | department of justice | state bodies | public institutions | governing party
government: ruling party | jail | jails | prison | prisons
elections: electoral commission | election commission | electoral | elections | election | voter | voters
elections: voting | ballot | ballots | polling stations | campaign staff | election officials
elections: democratic national committee | republican national committee | political party | political parties
defence: defence contractor | defence contractors | defense contractor | defense contractors | defence industry
defence: defense industry | defense industrial base | defence firms | defense firms | defence companies
defence: defense companies | arms manufacturer | arms manufacturers | defence ministry | defense ministry
defence: ministry of defence | ministry of defense | department of defense | pentagon | defence sector
defence: defense sector | aerospace | weapons maker | weapons makers | defence ministries | defense ministries
defence: defence and | defense and
diplomacy: embassy | embassies | consulate | consulates | foreign ministry
diplomacy: diplomatic missions | diplomatic mission | diplomatic entities | diplomatic staff | diplomatic networks
diplomacy: diplomatic cables | diplomatic service | diplomatic corps
diplomacy: foreign ministries | ministry of foreign affairs | foreign affairs ministry | state department
diplomacy: foreign office | department of foreign affairs
energy: power grid | power grids | electric grid | electricity grid | energy grid | grid | power plant
energy: power plants | power station | power stations | energy company | energy companies | energy firms
energy: energy firm | energy providers | energy provider | energy sector | utility | utilities
energy: electric utility | electricity supplier | electricity company | oil and gas | oil company
energy: oil sector | gas sector | oil and gas sector | gas company | fuel pipeline | gas pipeline | oil pipeline
energy: colonial pipeline | refinery | refineries | fuel management systems | fuel systems | fuel stations
energy: gas stations | petrol stations
energy: nuclear plant | nuclear power plant | substations | substation | power distribution | energy and
water: water utility | water utilities | water treatment | water supply | water system | water systems
water: water facility | water facilities | wastewater | water authority | water company | water plant | dam
water: dams | water and | municipal water | municipal water authority | municipal water system
water: pumping station | pumping stations | water scheme | water schemes | reservoir | reservoirs
telecom: telecom | telecoms | telecommunications | telecommunication | telco | telcos | mobile operator
telecom: mobile operators | mobile network operator | internet service provider | internet service providers
telecom: isp | isps | telecom providers | carriers | mobile carrier | wireless carriers
finance: bank | banks | financial institutions | financial institution | financial services | financial sector
finance: insurer | insurers | insurance company | insurance companies | payment processor | credit union
finance: credit unions | stock exchange | central bank | lender | lenders | fintech | brokerage | swift network
crypto: crypto exchange | crypto exchanges | cryptocurrency exchange | cryptocurrency exchanges
crypto: crypto firms | crypto platform | defi platform | defi protocol | crypto wallet | crypto wallets
crypto: bitcoin exchange | cryptocurrency wallets | crypto companies
healthcare: hospital | hospitals | nhs | health service | health services | healthcare | health care
healthcare: clinic | clinics | medical centre | medical center | health system | health systems | patients
healthcare: pharmacy | pharmacies | pharmaceutical | pharmaceutical companies | health insurer | health trust
healthcare: health authority | health ministry | ministry of health | blood bank | medical records
education: university | universities | school | schools | school district | school districts | college
education: colleges | students | academic | academics | education sector | educational institutions
research: think tanks | think tank | research institutes | research institute | research centres
research: research centers | research labs | research laboratories | laboratory
research: universities research | university research | scientific research | vaccine research
research: research network | research networks
technology: technology companies | technology company | tech companies | tech company | tech firms
technology: software company | software companies | software vendor | software vendors | it companies
technology: it service providers | managed service providers | managed service provider | msps | msp
technology: cloud provider | cloud providers | software maker | chipmaker | semiconductor | technology sector
technology: chipmakers | chip maker | chip makers | identity providers | identity provider | software updates
technology: video game makers | game makers | game developers | gaming companies | video game companies
manufacturing: manufacturer | manufacturers | factory | factories | manufacturing | production lines
manufacturing: carmaker | carmakers | car makers | car maker | shipbuilders | shipbuilding | automaker | automakers
manufacturing: industrial companies | plant operations | aluminium maker | aluminum maker | steelmaker
manufacturing: steelmakers | steel maker | chemicals maker | chemical maker | aluminium producer | aluminum producer
transport: airport | airports | airline | airlines | railway | railways | rail operator | rail network
transport: port authority | port operator | seaport | shipping company | shipping companies | shipping firm
transport: shipping firms
transport: maritime | logistics | logistics company | logistics companies | freight | transit agency
transport: transit authority | public transit | transit system | transit systems
transport: transport | transportation | metro | subway | aviation | air traffic control | trucking
media: news outlet | news outlets | news organisation | news organisations | news organization
media: news organizations | newspaper | newspapers | broadcaster | broadcasters | journalists | journalist
media: media outlet | media outlets | media company | media companies | tv station | tv channel
media: television | radio station | news agency | news agencies | news websites | news website
media: media organisations
legal: law firm | law firms | legal firm | legal firms | lawyers | attorneys | courts | court system
legal: court systems | judiciary | judicial | legal sector | bar association
ngo: ngo | ngos | non governmental organisation | non governmental organisations | non governmental organization
ngo: non governmental organizations | nonprofit | nonprofits | non profit | non profits | charity | charities
ngo: human rights groups | human rights organisations | human rights organizations | civil society
ngo: activists | dissidents | humanitarian organisations | humanitarian organizations | aid agencies | aid groups
ngo: red cross
critical-infrastructure: critical infrastructure | critical national infrastructure | industrial control systems
critical-infrastructure: industrial control system | ics | scada | operational technology | ot networks
critical-infrastructure: programmable logic controllers | programmable logic controller
retail: retailer | retailers | retail | retail chain | department store | department stores | supermarket
retail: supermarkets | e commerce | ecommerce | online stores | online shops | point of sale | grocery chain
hospitality: hotel | hotels | hotel chain | restaurant | restaurants | casino | casinos | resorts | hospitality
agriculture: farm | farms | farmers | agriculture | agricultural | food processing | meat processor
agriculture: meatpacking | meat supplier | grain | fertilizer | fertiliser | food supply
space: satellite | satellites | space agency | nasa | space program | space programme | space station
space: satellite network | satellite communications
military: military | armed forces | army | navy | air force | troops | soldiers | military networks
military: military bases | military personnel | military systems
`;

/**
 * Sector words also used of attackers ("government hackers", "Chinese military"): they count only when an attack
 * word comes just before them ("attacks on the Australian government"), not after "by", "to" or "from".
 */
export const WEAK_SECTOR_TERMS = `
government: government | governments
military: military
defence: defence | defense
diplomacy: diplomat | diplomats
crypto: cryptocurrency | cryptocurrencies | crypto | bitcoin
`;

/** Words that say something was attacked (a sector cue must stand near one in the same sentence). */
export const ATTACK_TERMS = `
attack | attacks | attacked | attacking | cyberattack | cyberattacks | cyber attack | cyber attacks
target | targets | targeted | targeting | targetted | targetting
breach | breaches | breached | breaching | hack | hacks | hacked | hacking | hit | struck | crippled
compromise | compromised | compromising | infiltrate | infiltrated | infiltrating | intrusion | intrusions
infect | infected | infecting | infection | infections | encrypted | ransomware | extortion | extorted
spied | spying | spy on | espionage | stole | stolen | steal | stealing | exfiltrated | leaked | leak
disrupted | disrupt | disrupting | disruption | ddos | ddosed | defaced | defacing | victim | victims
phishing | spearphishing | theft | heist | penetrated | wiper | wiped | wipe | wiping | hijacked | hijack
gained access | gain access | kept access | maintained access | campaign against | campaigns against
operations against | used against | deployed against | launched against | aimed at | broke into | break into
broken into | breaking into | breaks into | gone after | go after | goes after | going after | went after
exploitation | exploited | exploiting | read email | read emails | lures | lured | booby trapped
deliver malware | delivered malware | delivering malware | implant | implants
took over | take over | taken over | taking over | took control | take control | taken control | also reached
knocked offline | took down | shut down | tampered with | tampering with | denial of service
backdoor | backdoors | backdoored | planted | implanted
`;

/** Phrases that start like a cue but are not a victim ("military intelligence" hacked; a software "utility"). */
export const NOT_SECTOR_TERMS = `
military intelligence | military hackers | military unit | military cyber | military grade | military's unit
government hackers | government backed | government sponsored | government linked | government affiliated
government said | governments said | government officials said | government agency said
ministry of state security | ministry of intelligence | state security | ministry said | ministry spokesperson
liberation army | electronic army | cyber army | it army | utility tool | utility tools | utility program
utility software | command line utility | system utility | system utilities | legitimate utility
built in utility | windows utility | admin utility | administration utility | network utility | utility called
utility named | compression utility | archiving utility | crypto miner | crypto miners | cryptocurrency miner
cryptocurrency mining | crypto mining | cryptojacking | bank account | bank accounts | bank details
bank transfer | bank transfers | grid computing | school of | academic researchers | transport layer
election interference | election meddling | carriers of | media reports | media reported | television interview
hit the headlines | voting rights | crypto ransomware | crypto locker | military aid | cyber insurer
cyber insurers | cyber insurance
`;

/** Words right after a cue that make it a speaker, not a victim: "the ministry said". */
export const SPEAKER_WORDS = `said says say told stated announced warned urged accused blamed denied condemned
rejected confirmed reported reports added noted spokesperson spokesman spokeswoman official officials statement
claimed claims alleged alleges attributed published publishes`;

/** Words just before an attack word that make what follows the culprit: "blamed the attack on the government". */
export const BLAME_WORDS =
  "blamed blames blame blaming attributed attributes attribute attributing accused pinned";

/** Words between an attack word and a weak cue that make the cue the attacker: "attacks by the government". */
export const AGENT_WORDS =
  "by to from of with behind ransom demand demanding demanded paid pay payment payments";

let byPhrase: Map<string, string> | undefined;

/** The sector a victim phrase of SECTOR_TERMS belongs to ("hospitals" → healthcare), for did-you-mean hints. */
export function sectorOfPhrase(text: string): string | undefined {
  if (!byPhrase) {
    byPhrase = new Map();
    for (const line of SECTOR_TERMS.split("\n")) {
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const id = line.slice(0, colon).trim();
      for (const form of line.slice(colon + 1).split("|")) {
        const key = form.trim().toLowerCase();
        if (key && !byPhrase.has(key)) byPhrase.set(key, id);
      }
    }
  }
  return byPhrase.get(text.trim().toLowerCase().replace(/[-_]+/g, " ").replace(/\s+/g, " "));
}
