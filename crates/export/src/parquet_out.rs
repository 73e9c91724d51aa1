//! Parquet: the columns of [`crate::Row`], typed, Snappy-compressed, one row group per 64k
//! events. Read by pandas/pyarrow, R arrow and DuckDB.

use crate::{row, Result, COLUMNS};
use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Float64Array, Int32Array, Int64Array, ListArray, RecordBatch, StringArray,
};
use arrow_schema::{DataType, Field, Schema};
use hamkor_analysis::CanonicalEvent;
use hamkor_model::PartialDate;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use std::io::Write;
use std::sync::Arc;

fn list_of(t: DataType) -> DataType {
    DataType::List(Arc::new(Field::new("item", t, true)))
}

/// The Arrow schema of the export (documented in docs/exports.md).
pub fn parquet_schema() -> Schema {
    let f = |name: &str, t: DataType, nullable: bool| Field::new(name, t, nullable);
    let fields = vec![
        f("event_id", DataType::Int64, false),
        f("date", DataType::Utf8, true),
        f("date_start", DataType::Date32, true),
        f("date_end", DataType::Date32, true),
        f("year", DataType::Int32, true),
        f("date_from_document", DataType::Boolean, false),
        f("type", DataType::Utf8, false),
        f("actors", list_of(DataType::Utf8), false),
        f("n_actors", DataType::Int32, false),
        f("multilateral", DataType::Boolean, false),
        f("domains", list_of(DataType::Utf8), false),
        f("agreement", DataType::Utf8, true),
        f("format", DataType::Utf8, true),
        f("plover", DataType::Utf8, false),
        f("cameo", DataType::Utf8, false),
        f("cameo_root", DataType::Utf8, false),
        f("goldstein", DataType::Float64, false),
        f("quad", DataType::Int32, false),
        f("reports", DataType::Int32, false),
        f("document_ids", list_of(DataType::Int64), false),
        f("languages", list_of(DataType::Utf8), false),
        f("sources", list_of(DataType::Utf8), false),
        f("evidence", list_of(DataType::Utf8), false),
    ];
    debug_assert_eq!(fields.iter().map(|f| f.name().as_str()).collect::<Vec<_>>(), COLUMNS);
    Schema::new(fields)
}

fn strings(v: impl Iterator<Item = Option<String>>) -> ArrayRef {
    Arc::new(v.collect::<StringArray>())
}

fn string_lists(v: &[Vec<String>]) -> ArrayRef {
    let mut b = ListBuilder::new(StringBuilder::new());
    for list in v {
        for s in list {
            b.values().append_value(s);
        }
        b.append(true);
    }
    Arc::new(b.finish())
}

fn days(s: &Option<String>) -> Option<i32> {
    s.as_deref().and_then(|d| d.parse::<PartialDate>().ok()).map(|d| d.to_days() as i32)
}

const BATCH: usize = 65_536;

/// Write the events as Parquet to `w`.
pub fn write_parquet<W: Write + Send>(events: &[CanonicalEvent], w: W) -> Result<()> {
    let schema = Arc::new(parquet_schema());
    let props =
        WriterProperties::builder().set_compression(Compression::SNAPPY).set_created_by("hamkor".to_string()).build();
    let mut writer = ArrowWriter::try_new(w, schema.clone(), Some(props))?;
    for chunk in events.chunks(BATCH) {
        let rows: Vec<crate::Row> = chunk.iter().map(row).collect();
        let doc_lists: ListArray = ListArray::from_iter_primitive::<arrow_array::types::Int64Type, _, _>(
            rows.iter().map(|r| Some(r.document_ids.iter().map(|d| Some(*d)).collect::<Vec<_>>())),
        );
        let columns: Vec<ArrayRef> = vec![
            Arc::new(rows.iter().map(|r| r.event_id).collect::<Int64Array>()),
            strings(rows.iter().map(|r| r.date.clone())),
            Arc::new(rows.iter().map(|r| days(&r.date_start)).collect::<Date32Array>()),
            Arc::new(rows.iter().map(|r| days(&r.date_end)).collect::<Date32Array>()),
            Arc::new(rows.iter().map(|r| r.year).collect::<Int32Array>()),
            Arc::new(rows.iter().map(|r| Some(r.date_from_document)).collect::<BooleanArray>()),
            strings(rows.iter().map(|r| Some(r.event_type.clone()))),
            string_lists(&rows.iter().map(|r| r.actors.clone()).collect::<Vec<_>>()),
            Arc::new(rows.iter().map(|r| r.n_actors as i32).collect::<Int32Array>()),
            Arc::new(rows.iter().map(|r| Some(r.multilateral)).collect::<BooleanArray>()),
            string_lists(&rows.iter().map(|r| r.domains.clone()).collect::<Vec<_>>()),
            strings(rows.iter().map(|r| r.agreement.clone())),
            strings(rows.iter().map(|r| r.format.clone())),
            strings(rows.iter().map(|r| Some(r.plover.clone()))),
            strings(rows.iter().map(|r| Some(r.cameo.clone()))),
            strings(rows.iter().map(|r| Some(r.cameo_root.clone()))),
            Arc::new(rows.iter().map(|r| r.goldstein).collect::<Float64Array>()),
            Arc::new(rows.iter().map(|r| r.quad as i32).collect::<Int32Array>()),
            Arc::new(rows.iter().map(|r| r.reports as i32).collect::<Int32Array>()),
            Arc::new(doc_lists),
            string_lists(&rows.iter().map(|r| r.languages.clone()).collect::<Vec<_>>()),
            string_lists(&rows.iter().map(|r| r.sources.clone()).collect::<Vec<_>>()),
            string_lists(&rows.iter().map(|r| r.evidence.clone()).collect::<Vec<_>>()),
        ];
        let batch = RecordBatch::try_new(schema.clone(), columns)?;
        writer.write(&batch)?;
    }
    writer.close()?;
    Ok(())
}
