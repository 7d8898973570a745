// Public face of the analysis stage: gazetteer loading, the analyser, and the name resolver.

export { createAnalyser, createTagger } from "./analyser.js";
export { type Gazetteer, type LoadOptions, loadGazetteer, loadNames, type NameIndex } from "./gazetteer.js";
export { splitSentences } from "./splitter.js";
export type { Tags } from "./tag-list.js";
export type { ActorInfo, CountryInfo, NameMatch } from "./types.js";
