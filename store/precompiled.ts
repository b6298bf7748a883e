import { type Compilable, type CompiledQuery, type Kysely, PostgresAdapter, type QueryResult } from 'kysely';

/**
 * Queries built and compiled once, then run with new parameters.
 *
 * Kysely builds an immutable tree for every query and compiles it to SQL each time it runs;
 * on the busiest paths (an event's few statements) that costs about as much as SQLite running
 * the statement. A precompiled query is built once per dialect with a marker for each
 * parameter, compiled, and from then on only its parameter list is filled in. The SQL text is
 * the same each time, so the driver's statement cache (store/preparedStatements.ts) reuses the
 * prepared statement on both engines.
 *
 * The builder must pass each parameter through as a value, untouched (`where('id', '=', p.id)`):
 * a marker cannot be computed with (convert it before calling run), an array cannot be one
 * in an IN list (its length is part of the SQL; PostgreSQL takes a whole array as one value in
 * `= any(${p.ids}::integer[])`, which can), and a null given at run time is compared as a
 * value (`= null` is never true), not turned into `is null`. A builder that breaks these rules
 * fails when it is first compiled, not with wrong rows later: every marker must come out as
 * exactly one parameter.
 */

/** Stands for one named parameter while the query is built. */
class Marker {
  constructor(readonly name: string) {}
}

type Dialect = 'postgres' | 'sqlite';

interface Compiled {
  query: CompiledQuery;
  /** For each parameter position: the name of the run-time parameter, or the constant compiled in. */
  slots: Array<{ name: string } | { value: unknown }>;
}

export class Precompiled<DB, Params extends Record<string, unknown>, Row> {
  private readonly compiled = new Map<Dialect, Compiled>();

  constructor(private readonly build: (db: Kysely<DB>, params: Params) => Compilable<Row>) {}

  /** Runs the query on `db` (a Kysely instance or a transaction) with these parameters. */
  run(db: Kysely<DB>, params: Params): Promise<QueryResult<Row>> {
    const { query, slots } = this.compiledFor(db);
    const parameters = new Array<unknown>(slots.length);
    for (let index = 0; index < slots.length; index += 1) {
      const slot = slots[index];
      parameters[index] = 'name' in slot ? params[slot.name] : slot.value;
    }
    return db.executeQuery<Row>({ ...query, parameters } as CompiledQuery<Row>);
  }

  /** The rows it returned. */
  async rows(db: Kysely<DB>, params: Params): Promise<Row[]> {
    return (await this.run(db, params)).rows;
  }

  /** The first row, or undefined. */
  async first(db: Kysely<DB>, params: Params): Promise<Row | undefined> {
    return (await this.run(db, params)).rows[0];
  }

  /** How many rows an insert, update or delete changed. */
  async affected(db: Kysely<DB>, params: Params): Promise<number> {
    return Number((await this.run(db, params)).numAffectedRows ?? 0n);
  }

  private compiledFor(db: Kysely<DB>): Compiled {
    const dialect: Dialect = db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
    let compiled = this.compiled.get(dialect);
    if (!compiled) {
      compiled = compile(db, this.build);
      this.compiled.set(dialect, compiled);
    }
    return compiled;
  }
}

function compile<DB, Params extends Record<string, unknown>, Row>(
  db: Kysely<DB>,
  build: (db: Kysely<DB>, params: Params) => Compilable<Row>,
): Compiled {
  const markers = new Map<string, Marker>();
  // Every property read of the parameters gives that name's marker.
  const params = new Proxy({} as Params, {
    get: (_target, name) => {
      if (typeof name !== 'string') return undefined;
      let marker = markers.get(name);
      if (!marker) {
        marker = new Marker(name);
        markers.set(name, marker);
      }
      return marker;
    },
  });
  const query = build(db, params).compile();
  const seen = new Set<string>();
  const slots = query.parameters.map((value) => {
    if (!(value instanceof Marker)) return { value };
    seen.add(value.name);
    return { name: value.name };
  });
  for (const name of markers.keys()) {
    if (!seen.has(name))
      throw new Error(`precompiled query: the parameter ${name} was not compiled as one parameter (computed with, or in a list)`);
  }
  return { query, slots };
}

/**
 * A query built once and run many times with new parameters (see above):
 *
 *   const isActive = precompiled((db: Kysely<Database>, p: { incidentId: number; userId: string }) =>
 *     db.selectFrom('participants').select('left_at').where('incident_id', '=', p.incidentId).where('user_id', '=', p.userId));
 *   const row = await isActive.first(this.db, { incidentId, userId });
 */
export function precompiled<DB, Params extends Record<string, unknown>, Row>(
  build: (db: Kysely<DB>, params: Params) => Compilable<Row>,
): Precompiled<DB, Params, Row> {
  return new Precompiled(build);
}

/**
 * Precompiled queries whose SQL depends on a small number (the rows of a grouped insert, the
 * ids of an IN list): one per number, built when first needed, at most `maxShapes` of them.
 * Past that bound a shape is built and compiled for its one run, as Kysely would.
 */
export class PrecompiledShapes<DB, Params extends Record<string, unknown>, Row> {
  private readonly shapes = new Map<number, Precompiled<DB, Params, Row>>();

  constructor(
    private readonly build: (db: Kysely<DB>, params: Params, size: number) => Compilable<Row>,
    private readonly maxShapes = 64,
  ) {}

  /** The query of this size (callers name its parameters by index: `id0`, `id1`, ...). */
  of(size: number): Precompiled<DB, Params, Row> {
    let shape = this.shapes.get(size);
    if (!shape) {
      shape = new Precompiled((db: Kysely<DB>, params: Params) => this.build(db, params, size));
      if (this.shapes.size < this.maxShapes) this.shapes.set(size, shape);
    }
    return shape;
  }
}
