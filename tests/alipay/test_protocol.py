"""The gateway protocol's pure parts: sign content, parameters, answer extraction, error codes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domaincheck.alipay import protocol
from domaincheck.alipay.protocol import ErrorKind, Method


def test_sign_content_sorts_skips_sign_and_empty_values_and_keeps_values_raw() -> None:
    params = {
        "timestamp": "2025-01-02 03:04:05",
        "sign": "SHOULD-NOT-APPEAR",
        "app_id": "2021",
        "biz_content": '{"safe_domain":"a.example.com"}',
        "app_auth_token": "",
        "method": "alipay.open.mini.safedomain.create",
    }
    assert protocol.sign_content(params) == (
        'app_id=2021&biz_content={"safe_domain":"a.example.com"}'
        "&method=alipay.open.mini.safedomain.create&timestamp=2025-01-02 03:04:05"
    )


def test_common_params_are_the_documented_ones_and_the_token_only_when_given() -> None:
    params = protocol.common_params(app_id="2021", method="m", timestamp="t")
    assert params == {
        "app_id": "2021",
        "method": "m",
        "format": "json",
        "charset": "utf-8",
        "sign_type": "RSA2",
        "timestamp": "t",
        "version": "1.0",
    }
    with_token = protocol.common_params(
        app_id="2021", method="m", timestamp="t", app_auth_token="tok"
    )
    assert with_token["app_auth_token"] == "tok"


def test_biz_content_is_compact_sorted_json_with_unicode_kept() -> None:
    assert (
        protocol.biz_content({"safe_domain": "例子.cn", "a": "b"})
        == '{"a":"b","safe_domain":"例子.cn"}'
    )


def test_timestamp_is_beijing_time() -> None:
    moment = datetime(2025, 1, 1, 20, 30, 0, tzinfo=UTC)
    assert protocol.format_timestamp(moment) == "2025-01-02 04:30:00"
    with pytest.raises(ValueError):
        protocol.format_timestamp(datetime(2025, 1, 1))


CREATE = Method.SAFEDOMAIN_CREATE


@pytest.mark.parametrize(
    ("body", "content", "sign"),
    [
        (
            '{"alipay_open_mini_safedomain_create_response":{"code":"10000","msg":"Success"},"sign":"abc"}',
            '{"code":"10000","msg":"Success"}',
            "abc",
        ),
        (
            '{ "alipay_open_mini_safedomain_create_response" : {"code": "10000", "msg": "Success"} ,\n "sign" : "abc" }',
            '{"code": "10000", "msg": "Success"}',
            "abc",
        ),
        (
            '{"sign":"abc","alipay_open_mini_safedomain_create_response":{"code":"10000","msg":"}{\\"x"}}',
            '{"code":"10000","msg":"}{\\"x"}',
            "abc",
        ),
        (
            '{"alipay_open_mini_safedomain_create_response":{"code":"10000","n":{"a":{"b":1}}},"sign":"a\\/b"}',
            '{"code":"10000","n":{"a":{"b":1}}}',
            "a/b",
        ),
        (
            '{"error_response":{"code":"40002","sub_code":"isv.invalid-app-id"}}',
            '{"code":"40002","sub_code":"isv.invalid-app-id"}',
            None,
        ),
    ],
)
def test_extract_signed_part_cuts_the_node_text_exactly(
    body: str, content: str, sign: str | None
) -> None:
    part = protocol.extract_signed_part(body, CREATE)
    assert part.content == content
    assert part.sign == sign


def test_a_node_name_quoted_inside_another_field_is_not_taken_for_the_node() -> None:
    body = (
        '{"alipay_cert_sn":"\\"alipay_open_mini_safedomain_create_response\\":{\\"code\\":\\"10000\\"}",'
        '"alipay_open_mini_safedomain_create_response":{"code":"40004","inner":{"sign":"x"}},'
        '"sign":"s"}'
    )
    part = protocol.extract_signed_part(body, CREATE)
    assert part.content == '{"code":"40004","inner":{"sign":"x"}}'
    assert part.sign == "s"


def test_extract_prefers_the_method_node_over_error_response() -> None:
    body = '{"error_response":{"code":"1"},"alipay_open_mini_safedomain_create_response":{"code":"2"},"sign":"s"}'
    part = protocol.extract_signed_part(body, CREATE)
    assert part.node == "alipay_open_mini_safedomain_create_response"
    assert part.content == '{"code":"2"}'


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        '{"other_response":{"code":"10000"},"sign":"s"}',
        '{"alipay_open_mini_safedomain_create_response":"x"}',
        # The node or the signature twice: which one counts is ambiguous, so neither is believed.
        '{"alipay_open_mini_safedomain_create_response":{"code":"40004"},"sign":"s",'
        '"alipay_open_mini_safedomain_create_response":{"code":"10000"}}',
        '{"alipay_open_mini_safedomain_create_response":{"code":"10000"},"sign":"s","sign":"t"}',
        '{"error_response":{"code":"40002"},"error_response":{"code":"10000"}}',
    ],
)
def test_extract_rejects_answers_that_are_not_gateway_answers(body: str) -> None:
    with pytest.raises(protocol.ResponseShapeError):
        protocol.extract_signed_part(body, CREATE)


@pytest.mark.parametrize(
    ("code", "sub_code", "kind"),
    [
        ("20000", "isp.unknow-error", ErrorKind.TRANSIENT),
        ("20001", "aop.invalid-app-auth-token", ErrorKind.PERMISSION),
        ("40006", "isv.insufficient-isv-permissions", ErrorKind.PERMISSION),
        ("40002", "isv.invalid-signature", ErrorKind.PERMISSION),
        ("40002", "isv.invalid-app-id", ErrorKind.PERMISSION),
        ("40002", "isv.invalid-parameter", ErrorKind.INVALID_REQUEST),
        ("40001", "isv.missing-method", ErrorKind.INVALID_REQUEST),
        ("40004", "WHATEVER", ErrorKind.BUSINESS),
        ("99999", "", ErrorKind.UNKNOWN),
    ],
)
def test_error_codes_are_classified(code: str, sub_code: str, kind: ErrorKind) -> None:
    assert protocol.classify_error(code, sub_code) is kind


def test_describe_error_names_codes_and_what_to_do() -> None:
    line = protocol.describe_error(
        CREATE,
        "40006",
        "Insufficient Permissions",
        "isv.insufficient-isv-permissions",
        "ISV权限不足",
    )
    assert "40006/isv.insufficient-isv-permissions" in line
    assert "ISV权限不足" in line
    assert "feature package" in line


def test_redact_cuts_the_echoed_sign_content_and_masks_secrets() -> None:
    text = "验签出错，网关生成的验签字符串为：app_auth_token=SECRET&app_id=2021&x=1"
    cleaned = protocol.redact(text, ("SECRET", "2021", None))
    assert "SECRET" not in cleaned
    assert "2021" not in cleaned
    assert cleaned.startswith("验签出错")
    assert protocol.redact("user SECRET here", ["SECRET"]) == "user *** here"


def test_redact_masks_a_secret_in_its_url_encoded_forms_too() -> None:
    token = "2026ab+c/d=e f"
    echoed = (
        "bad request /gateway.do?app_auth_token=2026ab%2Bc%2Fd%3De+f&x=1 (2026ab%2Bc%2Fd%3De%20f)"
    )
    cleaned = protocol.redact(echoed, [token])
    assert cleaned == "bad request /gateway.do?app_auth_token=***&x=1 (***)"


@pytest.mark.parametrize(
    ("sub_code", "sub_msg", "exists", "missing"),
    [
        ("SAFE_DOMAIN_ALREADY_EXIST", "", True, False),
        ("", "域名已存在", True, False),
        ("isv.domain-duplicate", "", True, False),
        ("SAFE_DOMAIN_NOT_EXIST", "", False, True),
        ("", "域名不存在", False, True),
        ("SAFE_DOMAIN_OVER_LIMIT", "域名数量超过上限", False, False),
        ("ICP_NOT_FILED", "域名未备案", False, False),
    ],
)
def test_already_exists_and_not_found_are_read_only_from_plain_words(
    sub_code: str, sub_msg: str, exists: bool, missing: bool
) -> None:
    assert protocol.means_already_exists(sub_code, sub_msg) is exists
    assert protocol.means_not_found(sub_code, sub_msg) is missing
