//! A tiny but valid one-page PDF (correct cross-reference offsets), the
//! bytes of every simulated statement.

use super::world::World;
use crate::engine::call::{Answer, Call, Fail, Reply};

/// A one-page PDF that reads `text`.
pub fn statement_pdf(text: &str) -> Vec<u8> {
    let text: String = text
        .chars()
        .filter(|c| c.is_ascii() && !matches!(c, '(' | ')' | '\\'))
        .collect();
    let stream = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_string(),
        format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `GET …/members/{member_guid}/statements/{statement_guid}.pdf`.
pub fn download(world: &mut World, call: &Call<'_>) -> Answer {
    let member_guid = super::member::member_of(world, call)?;
    let guid = call.param("statement_guid");
    let statement = world
        .store
        .get("statements", guid)
        .filter(|s| crate::store::text(s, "member_guid") == Some(member_guid.as_str()))
        .ok_or_else(|| Fail::not_found("statement", guid))?;
    let media = call
        .op
        .accept()
        .next()
        .unwrap_or("application/vnd.mx.atrium.v1+pdf")
        .to_string();
    let label = crate::store::text(statement, "guid").unwrap_or_default();
    Ok(Reply::Bytes(
        200,
        media,
        statement_pdf(&format!("MX Bank statement {label}")),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cross_reference_points_at_the_objects() {
        let pdf = super::statement_pdf("hello");
        let text = String::from_utf8(pdf.clone()).unwrap();
        assert!(text.starts_with("%PDF-1.4") && text.ends_with("%%EOF\n"));
        let xref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[xref..].starts_with("xref"));
        let first = text[xref..].lines().nth(3).unwrap();
        let at: usize = first[..10].parse().unwrap();
        assert!(text[at..].starts_with("1 0 obj"));
    }
}
