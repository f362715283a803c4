//! The request carries the property names a real client of this endpoint
//! sends: the public .NET client (`SwissAcademic.Crm.Web.Cleverbridge`,
//! `UpdateSubscriptionItemRequest`) spells `Couponcode` and
//! `RecommendationsetId`, and sends `ProductNameEn` and `GenerateMail`. The
//! answer has no `Success` field: that client sets it itself, the server's
//! answer is judged by `ResultMessage`.

use cleverbridge_client::types;
use serde_json::json;

#[test]
fn the_request_uses_the_dotnet_clients_property_names() {
    let body = types::UpdateSubscriptionItemRequest::builder()
        .subscription_id("S24138411")
        .running_number(1_u32)
        .product_id(97_771_u64)
        .quantity(1_u32)
        .update_action(types::SubscriptionItemUpdateAction::Update)
        .couponcode("BD3-1KK-UN3".to_owned())
        .recommendationset_id(14_665)
        .product_name_en("Internet Security Basic Extended".to_owned())
        .generate_mail(false);
    let body = types::UpdateSubscriptionItemRequest::try_from(body).expect("required fields set");

    let json = serde_json::to_value(&body).expect("serialises");
    let object = json.as_object().expect("an object");
    for name in [
        "Couponcode",
        "RecommendationsetId",
        "ProductNameEn",
        "GenerateMail",
    ] {
        assert!(object.contains_key(name), "{name} missing from {json}");
    }
    for guide_spelling in ["CouponCode", "RecommendationSetId"] {
        assert!(
            !object.contains_key(guide_spelling),
            "{guide_spelling} in {json}"
        );
    }
    assert_eq!(json["Couponcode"], json!("BD3-1KK-UN3"));
    assert_eq!(json["RecommendationsetId"], json!(14_665));
}

#[test]
fn an_answer_is_read_by_its_result_message_without_a_success_flag() {
    let answer: types::UpdateSubscriptionItemResponse =
        serde_json::from_value(json!({ "ResultMessage": "OK", "PriceCurrencyId": "EUR" }))
            .expect("an answer without Success decodes");
    assert_eq!(answer.result_message, "OK");
    // A `Success` the server might add is ignored, not required.
    let with_flag: types::UpdateSubscriptionItemResponse = serde_json::from_value(
        json!({ "ResultMessage": "Subscription not found.", "Success": false }),
    )
    .expect("decodes");
    assert_eq!(with_flag.result_message, "Subscription not found.");
    assert!(
        !serde_json::to_value(&with_flag)
            .expect("serialises")
            .as_object()
            .expect("an object")
            .contains_key("Success")
    );
}
