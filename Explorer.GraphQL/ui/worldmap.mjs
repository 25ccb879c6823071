// The explorer's world map, generated at build time (offline): Natural Earth 1:110m countries from the npm
// `world-atlas` TopoJSON, projected with d3-geo into one SVG path per country, keyed by ISO 3166-1 alpha-2 (devices
// report alpha-2; world-atlas ids are ISO numeric, mapped with `i18n-iso-countries`). Run by the project's MSBuild target.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { feature } from 'topojson-client';
import { geoEqualEarth, geoPath } from 'd3-geo';
import countries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] ?? path.join(here, '../Components/Map/countries.generated.json'));

const topology = JSON.parse(await readFile(require.resolve('world-atlas/countries-110m.json'), 'utf8'));
// Antarctica (010) holds no devices and would take a fifth of the map's height.
const shapes = feature(topology, topology.objects.countries).features.filter(f => f.id !== '010');
const width = 960;
const height = 440;
const projection = geoEqualEarth().fitExtent([[4, 4], [width - 4, height - 4]], { type: 'FeatureCollection', features: shapes });
const toPath = geoPath(projection).digits(1);

// Places world-atlas gives no ISO numeric id: Kosovo has a user-assigned alpha-2 in wide use; the others have none.
const withoutNumeric = { Kosovo: 'XK' };
const result = shapes.map(f => {
  const code = f.id ? countries.numericToAlpha2(f.id) : withoutNumeric[f.properties.name];
  return { code: code ?? null, name: (code && countries.getName(code, 'en', { select: 'official' })) || f.properties.name, d: toPath(f) };
}).filter(c => c.d).sort((a, b) => a.name.localeCompare(b.name, 'en'));

const missing = result.filter(c => !c.code).map(c => c.name);
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, JSON.stringify({ width, height, countries: result }));
console.log(`world map: ${result.length} countries (${missing.length} without an ISO code: ${missing.join(', ')}) into ${out}`);
