/**
 * The device classes seen in the window (any event passing the filters), for judging a gate
 * criterion per device class when its metric has no per-class query of its own: the criterion is
 * then measured once per class with the class as a filter.
 */
import { z } from 'zod';
import { defineQuery } from '@/lib/query';
import { sql } from '@/lib/sql';
import { FILTERED_EVENTS, zWindowFilterParams } from './shared';

export const gateDeviceClasses = defineQuery({
  name: 'gate-device-classes',
  params: zWindowFilterParams,
  row: z.object({ deviceClass: z.string() }),
  sql: sql`
    WITH ${FILTERED_EVENTS}
    SELECT DISTINCT toString(device_class) AS deviceClass
    FROM filtered
    WHERE device_class != ''
    ORDER BY deviceClass
  `.text,
});
