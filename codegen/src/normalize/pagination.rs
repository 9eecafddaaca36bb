//! Pass: which operations list pages (for `stream_all`).

use openapiv3::{Components, Operation, Parameter, ReferenceOr, SchemaKind, Type};

use crate::openapi::{is_success, resolve};
use crate::wire::Paginated;

/// A list operation: takes `page` and answers with an object holding one
/// array of `$ref` items and a `pagination` object.
pub(super) fn paginated_shape(op: &Operation, components: &Components) -> Option<Paginated> {
    let takes_page = op.parameters.iter().any(|p| {
        matches!(resolve(p, &components.parameters), Some(Parameter::Query { parameter_data, .. }) if parameter_data.name == "page")
    });
    if !takes_page {
        return None;
    }
    let (_, resp) = op.responses.responses.iter().find(|(c, _)| is_success(c))?;
    let ReferenceOr::Item(resp) = resp else {
        return None;
    };
    let schema_ref = resp.content.values().next()?.schema.as_ref()?;
    let ReferenceOr::Reference { reference } = schema_ref else {
        return None;
    };
    let body_name = reference.rsplit('/').next()?.to_string();
    let body = resolve(components.schemas.get(&body_name)?, &components.schemas)?;
    let (properties, required) = match &body.schema_kind {
        SchemaKind::Type(Type::Object(obj)) => (&obj.properties, &obj.required),
        SchemaKind::Any(any) => (&any.properties, &any.required),
        _ => return None,
    };
    if !properties.contains_key("pagination") {
        return None;
    }
    let mut arrays = properties.iter().filter_map(|(name, s)| {
        let ReferenceOr::Item(s) = s else { return None };
        let SchemaKind::Type(Type::Array(arr)) = &s.schema_kind else {
            return None;
        };
        match arr.items.as_ref()? {
            ReferenceOr::Reference { reference } => Some((
                name.clone(),
                reference.rsplit('/').next()?.to_string(),
                required.contains(name),
            )),
            ReferenceOr::Item(_) => None,
        }
    });
    let (items_field, item_schema, items_required) = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    Some(Paginated {
        response_schema: body_name,
        items_field,
        item_schema,
        items_required,
    })
}
