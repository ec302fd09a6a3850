import { sql } from "drizzle-orm";
import type { events } from "../../db/schema";

type NewEventRow = typeof events.$inferInsert;
type Executor = { execute: (query: ReturnType<typeof sql>) => PromiseLike<unknown> };

/**
 * Inserts captured events as one JSON parameter expanded by the server (jsonb_to_recordset), which costs a fraction
 * of a VALUES list with a bound parameter per cell. An event this party already holds (same hash) stays as it is,
 * unless it comes again with an errorDeclaration it lacked: that declares the stored event erroneous.
 */
export async function insertCapturedEvents(tx: Executor, rows: readonly NewEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      hash_id: r.hashId,
      type: r.type,
      action: r.action ?? null,
      biz_step: r.bizStep ?? null,
      disposition: r.disposition ?? null,
      event_time: r.eventTime.toISOString(),
      event_time_zone_offset: r.eventTimeZoneOffset,
      read_point: r.readPoint ?? null,
      biz_location: r.bizLocation ?? null,
      recorded_by: r.recordedBy ?? null,
      source_list: r.sourceList ?? [],
      destination_list: r.destinationList ?? [],
      quantity_list: r.quantityList ?? [],
      input_quantity_list: r.inputQuantityList ?? [],
      output_quantity_list: r.outputQuantityList ?? [],
      certification_info: r.certificationInfo ?? [],
      event: r.event,
      record_time: r.recordTime.toISOString(),
      event_id: r.eventId ?? null,
      captured_by: r.capturedBy ?? null,
      capture_id: r.captureId ?? null,
      context: r.context ?? null,
      epcs: r.epcs ?? [],
      parent_id: r.parentId ?? null,
      input_epcs: r.inputEpcs ?? [],
      output_epcs: r.outputEpcs ?? [],
      epc_classes: r.epcClasses ?? [],
      input_epc_classes: r.inputEpcClasses ?? [],
      output_epc_classes: r.outputEpcClasses ?? [],
    })),
  );
  await tx.execute(sql`
    INSERT INTO events (id, hash_id, type, action, biz_step, disposition, event_time, event_time_zone_offset, read_point, biz_location,
      recorded_by, source_list, destination_list, quantity_list, input_quantity_list, output_quantity_list, certification_info, event,
      record_time, event_id, captured_by, capture_id, context, epcs, parent_id, input_epcs, output_epcs, epc_classes, input_epc_classes,
      output_epc_classes)
    SELECT id, hash_id, type, action, biz_step, disposition, event_time, event_time_zone_offset, read_point, biz_location,
      recorded_by, source_list, destination_list, quantity_list, input_quantity_list, output_quantity_list, certification_info, event,
      record_time, event_id, captured_by, capture_id, context, epcs, parent_id, input_epcs, output_epcs, epc_classes, input_epc_classes,
      output_epc_classes
    FROM jsonb_to_recordset(${json}::jsonb) AS r(id text, hash_id text, type text, action text, biz_step text, disposition text,
      event_time timestamptz, event_time_zone_offset text, read_point text, biz_location text, recorded_by text, source_list jsonb,
      destination_list jsonb, quantity_list jsonb, input_quantity_list jsonb, output_quantity_list jsonb, certification_info jsonb,
      event jsonb, record_time timestamptz, event_id text, captured_by text, capture_id text, context jsonb, epcs text[], parent_id text,
      input_epcs text[], output_epcs text[], epc_classes text[], input_epc_classes text[], output_epc_classes text[])
    ON CONFLICT (hash_id, captured_by) DO UPDATE
      SET event = events.event || jsonb_build_object('errorDeclaration', excluded.event -> 'errorDeclaration')
      WHERE excluded.event ? 'errorDeclaration' AND NOT events.event ? 'errorDeclaration'`);
}
