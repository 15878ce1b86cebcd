"""The store's schema as ordered migrations; PRAGMA user_version is the number applied.

Append a migration to change the schema; never edit one that has shipped, because
databases in the field have already run it.
"""

from __future__ import annotations

from typing import Final

MIGRATIONS: Final[tuple[str, ...]] = (
    # 1: the first schema, every table the pipeline needs.
    """
    CREATE TABLE prices (
        ticker TEXT NOT NULL,
        day TEXT NOT NULL,
        close REAL NOT NULL,
        source TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (ticker, day)
    ) WITHOUT ROWID;

    CREATE TABLE ticker_state (
        ticker TEXT PRIMARY KEY,
        last_attempt TEXT,
        last_success TEXT,
        last_day TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );

    CREATE TABLE headlines (
        id INTEGER PRIMARY KEY,
        url_key TEXT NOT NULL UNIQUE,
        title_key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        url TEXT NOT NULL,
        source TEXT NOT NULL,
        feed TEXT NOT NULL,
        published TEXT NOT NULL,
        published_estimated INTEGER NOT NULL DEFAULT 0,
        summary TEXT NOT NULL DEFAULT '',
        fetched_at TEXT NOT NULL,
        story_id INTEGER
    );
    CREATE INDEX headlines_published ON headlines (published);
    CREATE INDEX headlines_story ON headlines (story_id);

    CREATE TABLE headline_scores (
        headline_id INTEGER PRIMARY KEY REFERENCES headlines (id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        confidence REAL NOT NULL,
        scores TEXT NOT NULL,
        model_id TEXT NOT NULL,
        scored_at TEXT NOT NULL
    );

    CREATE TABLE embeddings (
        model_id TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model_id, text_hash)
    ) WITHOUT ROWID;

    CREATE TABLE index_readings (
        as_of TEXT PRIMARY KEY,
        index_value REAL NOT NULL,
        regime TEXT NOT NULL,
        payload TEXT NOT NULL,
        computed_at TEXT NOT NULL
    );

    CREATE TABLE alerts (
        dedup_key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        channel TEXT,
        payload TEXT NOT NULL
    );

    CREATE TABLE feed_state (
        feed TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_attempt TEXT,
        last_success TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_try TEXT,
        last_error TEXT,
        items_seen INTEGER NOT NULL DEFAULT 0
    );

    CREATE TABLE job_runs (
        id INTEGER PRIMARY KEY,
        job TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        outcome TEXT,
        error TEXT,
        details TEXT
    );
    CREATE INDEX job_runs_job ON job_runs (job, started_at);

    CREATE TABLE layoff_events (
        company TEXT NOT NULL,
        day TEXT NOT NULL,
        total_laid_off INTEGER,
        industry TEXT,
        source_url TEXT,
        PRIMARY KEY (company, day)
    ) WITHOUT ROWID;
    """,
    # 2: smart money and model mix: short interest per settlement date, 13F filings and
    # their holdings, conditional-GET validators for EDGAR, weekly new-model counts.
    """
    CREATE TABLE short_interest (
        ticker TEXT NOT NULL,
        settlement TEXT NOT NULL,
        shares_short INTEGER,
        shares_short_prior INTEGER,
        percent_of_float REAL,
        float_shares INTEGER,
        days_to_cover REAL,
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (ticker, settlement)
    );

    CREATE TABLE filings_13f (
        accession TEXT PRIMARY KEY,
        cik INTEGER NOT NULL,
        fund TEXT NOT NULL,
        form TEXT NOT NULL,
        period TEXT NOT NULL,
        filed TEXT NOT NULL,
        amendment_type TEXT,
        value_multiplier INTEGER NOT NULL,
        fetched_at TEXT NOT NULL
    );
    CREATE INDEX filings_13f_period ON filings_13f (cik, period);

    CREATE TABLE holdings_13f (
        accession TEXT NOT NULL REFERENCES filings_13f (accession) ON DELETE CASCADE,
        line INTEGER NOT NULL,
        cusip TEXT NOT NULL,
        issuer TEXT NOT NULL,
        title_of_class TEXT NOT NULL,
        ticker TEXT,
        put_call TEXT,
        share_type TEXT NOT NULL,
        shares INTEGER NOT NULL,
        value_usd REAL NOT NULL,
        PRIMARY KEY (accession, line)
    );
    CREATE INDEX holdings_13f_ticker ON holdings_13f (ticker);

    CREATE TABLE http_validators (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        checked_at TEXT NOT NULL
    );

    CREATE TABLE model_mix (
        week_start TEXT NOT NULL,
        category TEXT NOT NULL,
        models INTEGER NOT NULL,
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (week_start, category)
    );
    """,
    # 3: label corrections: a user's own label for a headline (`bubble-monitor label`), folded
    # into training by `train --with-corrections` and kept out of every evaluation set.
    """
    CREATE TABLE label_corrections (
        text_key TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        label TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    # 4: units of work claimed once across instances sharing a database (a job in a time
    # slot); a second instance finding its unit here skips it. job_runs name the instance.
    """
    CREATE TABLE work_units (
        unit TEXT PRIMARY KEY,
        job TEXT NOT NULL,
        slot TEXT NOT NULL,
        instance TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        outcome TEXT
    );
    ALTER TABLE job_runs ADD COLUMN instance TEXT;
    """,
    # 5: when a short-interest settlement was first collected (ISO-8601 UTC), kept across
    # re-collections: readings use a settlement only once it was public, and an earlier
    # sighting than FINRA's schedule wins. Older rows get their last fetch time, which is
    # never earlier than their first sighting, so no row becomes visible too early.
    """
    ALTER TABLE short_interest ADD COLUMN first_seen TEXT;
    UPDATE short_interest SET first_seen = fetched_at WHERE first_seen IS NULL;
    """,
    # 6: embeddings as an ordinary rowid table with a unique key. In the WITHOUT ROWID table
    # of migration 1 a row lives in an index b-tree, whose in-page payload limit (about a
    # quarter of a page) is below a 384-d vector's 1,536 bytes, so every vector spilled into
    # an overflow page of its own (benchmarks/bench_store_embeddings.py measures it).
    """
    CREATE TABLE embeddings_v6 (
        model_id TEXT NOT NULL,
        text_hash TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL
    );
    INSERT INTO embeddings_v6 (model_id, text_hash, dim, vector)
        SELECT model_id, text_hash, dim, vector FROM embeddings ORDER BY model_id, text_hash;
    DROP TABLE embeddings;
    ALTER TABLE embeddings_v6 RENAME TO embeddings;
    CREATE UNIQUE INDEX embeddings_key ON embeddings (model_id, text_hash);
    """,
    # 7 (deals): circular deals as a graph. One row per deal (an edge: payer -> payee), its
    # first source's title and URL; every outlet that reported it in deal_sources, so one deal
    # told by several outlets stays one edge with several sources.
    """
    CREATE TABLE deals (
        id INTEGER PRIMARY KEY,
        day TEXT NOT NULL,
        payer TEXT NOT NULL,
        payee TEXT NOT NULL,
        amount_usd REAL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        url TEXT NOT NULL,
        status TEXT NOT NULL,
        confidence REAL NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX deals_pair ON deals (payer, payee);
    CREATE TABLE deal_sources (
        deal_id INTEGER NOT NULL,
        url TEXT NOT NULL,
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        day TEXT NOT NULL,
        PRIMARY KEY (deal_id, url)
    );
    CREATE INDEX deal_sources_url ON deal_sources (url);
    """,
    # 8: headlines read from an archive file by import-headlines (dated history, never
    # fetched) are marked, so readers can tell them from collected ones.
    """
    ALTER TABLE headlines ADD COLUMN imported INTEGER NOT NULL DEFAULT 0;
    """,
    # 9: company fundamentals from SEC XBRL companyfacts, point in time: every reported
    # value with the date it was filed (restatements and amendments are rows of their own,
    # never overwritten), and the ticker -> CIK each company was read under. `source` says
    # where a row came from ('sec', or 'simulated' for the demo's invented facts).
    """
    CREATE TABLE fundamental_facts (
        cik INTEGER NOT NULL,
        concept TEXT NOT NULL,
        tag TEXT NOT NULL,
        period_start TEXT NOT NULL,
        period_end TEXT NOT NULL,
        value REAL NOT NULL,
        accession TEXT NOT NULL,
        form TEXT NOT NULL,
        filed TEXT NOT NULL,
        source TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        PRIMARY KEY (cik, tag, period_start, period_end, accession)
    );
    CREATE INDEX fundamental_facts_filed ON fundamental_facts (cik, filed);

    CREATE TABLE fundamental_companies (
        ticker TEXT PRIMARY KEY,
        cik INTEGER NOT NULL,
        name TEXT NOT NULL,
        source TEXT NOT NULL,
        fetched_at TEXT NOT NULL
    );
    """,
)

SCHEMA_VERSION: Final[int] = len(MIGRATIONS)
