// Analysis for the ingest engine: in the worker thread when there is one, in this thread when it fails or is absent.

import type { Analyse, Analysis, Article } from "../core/article.js";
import { errorMessage } from "../core/errors.js";
import type { Logger } from "../log/logger.js";
import type { AnalyseAsync, Opened, OpenRequest, ReadAndAnalyse } from "./analysis-pool.js";
import { isRejected, type ReadFacts, readArticle } from "./reader.js";

export interface AnalysingDeps {
  analyse: Analyse;
  analyseAsync?: AnalyseAsync;
  readAsync?: ReadAndAnalyse;
  log: Logger;
}

/** A broken worker must not stop ingest: each call falls back to the same reader and analyser in this thread. */
export class Analysing {
  constructor(private readonly deps: AnalysingDeps) {}

  /** Whether file bytes go to the worker to be parsed there (else the engine parses them). */
  get readsFiles(): boolean {
    return this.deps.readAsync !== undefined;
  }

  /** Whether the worker opens and reads files itself (else the engine reads them). */
  get opensFiles(): boolean {
    return this.deps.readAsync?.open !== undefined;
  }

  /** A file opened, read and analysed by the worker; `here` does the same in this thread when the worker fails. */
  async open(req: OpenRequest, file: ReadFacts, here: () => Promise<Opened>): Promise<Opened> {
    try {
      const open = this.deps.readAsync?.open;
      if (open) return await open(req, file);
    } catch (err) {
      this.fellBack(err, file.path);
    }
    return here();
  }

  /** The analysis of a parsed article. */
  async article(article: Article): Promise<Analysis> {
    const pool = this.deps.analyseAsync;
    if (!pool) return this.deps.analyse(article);
    try {
      return await pool(article);
    } catch (err) {
      this.fellBack(err, article.path);
      return this.deps.analyse(article);
    }
  }

  /** A file's bytes parsed and analysed (readArticle, then the analyser), or why they make no article. */
  async file(buf: Uint8Array, file: ReadFacts): ReturnType<ReadAndAnalyse> {
    try {
      if (this.deps.readAsync) return await this.deps.readAsync(buf, file);
    } catch (err) {
      this.fellBack(err, file.path);
    }
    const article = readArticle(buf, file);
    return isRejected(article) ? article : { article, analysis: this.deps.analyse(article) };
  }

  private fellBack(err: unknown, path: string): void {
    this.deps.log.warn({ err: errorMessage(err), file: path }, "analysis worker failed; analysing in-thread");
  }
}
