"""Runs the AWS SAM translator (the one cfn-lint ships) on template.yaml as CloudFormation would after `sam deploy`.

Usage: translate.py TEMPLATE PARAMETER_SETS_JSON [CHANGED] (a JSON array of {name: value} objects; CHANGED, a logical
id whose code `sam package` uploaded anew). Function CodeUri and layer
ContentUri folders become fixed S3 locations, as `sam package` leaves them for unchanged code; prints a JSON array with the translated
template for each parameter set.
"""
import json
import sys

from samtranslator.public.translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NoManagedPolicies(ManagedPolicyLoader):
    """The template names no managed policy, so nothing needs to be looked up in IAM."""

    def __init__(self):
        pass

    def load(self):
        return {}


def main():
    with open(sys.argv[1], encoding="utf-8") as source:
        text = source.read()
    changed = sys.argv[3] if len(sys.argv) > 3 else ""
    translated = []
    for parameters in json.loads(sys.argv[2]):
        template = yaml_parse(text)
        for logical_id, resource in template.get("Resources", {}).items():
            if resource.get("Type") == "AWS::Serverless::Function":
                resource["Properties"]["CodeUri"] = f"s3://mediagate-artifacts/{logical_id}{'-new' if logical_id == changed else ''}.zip"
            if resource.get("Type") == "AWS::Serverless::LayerVersion":
                resource["Properties"]["ContentUri"] = f"s3://mediagate-artifacts/{logical_id}{'-new' if logical_id == changed else ''}.zip"
        translated.append(transform(template, parameters, NoManagedPolicies()))
    json.dump(translated, sys.stdout)


if __name__ == "__main__":
    main()
