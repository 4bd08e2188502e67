#!/usr/bin/env python3
"""Cross-lab check: the class analyze gives each BCCD field's white cell vs bccd/wbc_subtypes.csv.

Run analyze on all BCCD fields as one slide, then score the cell nearest the centre of the
field's single WBC box (fields with several WBC boxes or several labels are left out):

    mkdir -p /tmp/bccd && cp -al ../shared/data/bccd/BCCD/JPEGImages /tmp/bccd/fields
    .build/release/smearscan analyze --slide /tmp/bccd/fields --scale 0.072 --out /tmp/bccd-out
    python3 Benchmarks/bccd_subtypes.py /tmp/bccd-out/fields/cells.csv

The subtype labels are a third party's, not expert-verified (see the data README).
"""
import collections, csv, os, sys, xml.etree.ElementTree as ET

data = os.environ.get('SMEARSCAN_DATA', os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data'))
truth = {}
for row in csv.reader(open(os.path.join(data, 'bccd', 'wbc_subtypes.csv'))):
    if len(row) < 3 or not row[1].isdigit() or not row[2].strip() or ',' in row[2]:
        continue
    truth[int(row[1])] = row[2].strip().strip('"').lower()
cells = collections.defaultdict(list)
for row in csv.DictReader(open(sys.argv[1])):
    cells[row['image']].append(row)
confusion = collections.Counter()
for number, label in sorted(truth.items()):
    name = 'BloodImage_%05d' % number
    notes = os.path.join(data, 'bccd', 'BCCD', 'Annotations', name + '.xml')
    if not os.path.exists(notes):
        continue
    boxes = [[float(o.find('bndbox').find(k).text) for k in ('xmin', 'ymin', 'xmax', 'ymax')]
             for o in ET.parse(notes).findall('object') if o.find('name').text == 'WBC']
    if len(boxes) != 1:
        continue
    cx, cy = (boxes[0][0] + boxes[0][2]) / 2, (boxes[0][1] + boxes[0][3]) / 2
    found = cells.get(name + '.jpg', [])
    predicted = min(found, key=lambda r: (int(r['x']) + int(r['width']) / 2 - cx) ** 2
                    + (int(r['y']) + int(r['height']) / 2 - cy) ** 2)['class'] if found else 'none'
    confusion[(label, predicted)] += 1
total = sum(confusion.values())
right = sum(n for (label, predicted), n in confusion.items() if label == predicted)
print('BCCD fields with one WBC and a subtype: %d, accuracy %.3f' % (total, right / total))
for label in sorted({label for label, _ in confusion}):
    row = sorted(((p, n) for (l, p), n in confusion.items() if l == label), key=lambda x: -x[1])
    print('  %-12s %s' % (label, ', '.join('%s %d' % x for x in row)))
