#!/usr/bin/env python3
"""The locator on the single-cell exports (deepapl, pbc), failures sorted by kind for review.

Same hit rule as Tests/DataTests/LocatorSingleCellTests (exactly one cell not cut by the
border within 8 µm of the image's own centre, at 0.1 µm/px), over all images, through a
release build (`locate --json`, exact centres; the test with SMEARSCAN_FULL_DATA=1 gives the
same figures);
also the rate counting two cells as the hit for the touching pairs listed in
Tests/DataTests/single-cell-pairs.txt (reviewed by eye).
A miss is `several` (more than one such cell), `nothing` (no cell at all), `border-near`
(the cell near the centre is flagged as cut by the border) or `off-centre` (cells found,
none near the centre). The pair-aware rate takes exactly two cells as the hit on a listed
pair image and exactly one elsewhere. Writes the misses, one per line with the cells found,
to FILE.

    python3 Benchmarks/locate_single_cells.py [FILE]    (default /tmp/locate-misses.tsv)
"""
import collections, json, os, subprocess, sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
data = os.environ.get('SMEARSCAN_DATA', os.path.join(root, '..', 'shared', 'data'))
binary = os.environ.get('SMEARSCAN', os.path.join(root, '.build', 'release', 'smearscan'))
misses_file = sys.argv[1] if len(sys.argv) > 1 else '/tmp/locate-misses.tsv'
other = {'Smudge cells': 'smudge', 'Giant thrombocyte': 'platelet', 'Thrombocyte aggregation': 'platelet',
         'Erythroblast': 'erythroblast', 'erythroblast': 'erythroblast', 'platelet': 'platelet'}
with open(os.path.join(root, 'Tests', 'DataTests', 'single-cell-pairs.txt')) as f:
    pairs = {os.path.join(data, line.strip()) for line in f if line.strip() and not line.startswith('#')}
paths = sorted(os.path.join(d, f) for set_ in ('deepapl', 'pbc') for d, _, files in os.walk(os.path.join(data, set_))
               for f in files if f.endswith('.jpg'))
# JSON, for the exact centres (the text output rounds them to whole pixels, which moves
# cells about 8 µm out across the line).
found = {}
with subprocess.Popen([binary, 'locate', '--scale', '0.1', '--json'] + paths, stdout=subprocess.PIPE,
                      stderr=subprocess.DEVNULL, text=True) as run:
    for line in run.stdout:
        record = json.loads(line)
        found[record['image']] = (record['width'], record['height'],
                                  [(c['centerX'], c['centerY'], c['touchesBorder']) for c in record['result']['cells']])
tally, by_folder, misses = collections.Counter(), collections.defaultdict(collections.Counter), []
pair_hits = pair_aware = 0
for path in paths:
    if path not in found:
        continue   # undecodable (listed by locate on standard error)
    folder = os.path.basename(os.path.dirname(path))
    kind, (width, height, cells) = other.get(folder, 'leukocyte'), found[path]
    near = lambda c: ((c[0] - width / 2) ** 2 + (c[1] - height / 2) ** 2) ** 0.5 * 0.1 <= 8
    whole_near = [c for c in cells if not c[2] and near(c)]
    why = ('hit' if len(whole_near) == 1 else 'several' if whole_near else 'nothing' if not cells
           else 'border-near' if any(near(c) for c in cells) else 'off-centre')
    tally[(kind, why)] += 1
    if kind == 'leukocyte' and len(whole_near) == (2 if path in pairs else 1):
        pair_aware += 1
    if kind == 'leukocyte' and path in pairs and len(whole_near) == 2:
        pair_hits += 1
    if kind == 'leukocyte':
        by_folder[folder][why] += 1
        if why != 'hit':
            misses.append('%s\t%s\t%s' % (why, path, '; '.join('%.0f,%.0f%s' % (c[0], c[1], ' border' if c[2] else '') for c in cells)))
for kind in sorted({k for k, _ in tally}):
    n = sum(v for (k, _), v in tally.items() if k == kind)
    print('%-12s %5d images: %s' % (kind, n, ', '.join('%s %d' % (w, v) for (k, w), v in sorted(tally.items()) if k == kind)))
n = sum(v for (k, _), v in tally.items() if k == 'leukocyte')
print('leukocyte hit rate %.4f (%d of %d); pair-aware (exactly two on the %d listed pairs): %.4f (%d; %d found as two)'
      % (tally[('leukocyte', 'hit')] / n, tally[('leukocyte', 'hit')], n, len(pairs), pair_aware / n, pair_aware, pair_hits))
for folder, c in sorted(by_folder.items(), key=lambda x: -sum(v for w, v in x[1].items() if w != 'hit')):
    print('  %-32s %5d  hit %.3f  %s' % (folder, sum(c.values()), c['hit'] / sum(c.values()),
                                          ', '.join('%s %d' % (w, v) for w, v in c.items() if w != 'hit')))
with open(misses_file, 'w') as f:
    f.write('\n'.join(misses) + '\n')
print('misses listed in', misses_file)
