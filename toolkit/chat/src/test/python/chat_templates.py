"""Chat templates of real models rendered by transformers, the reference of ChatTemplatesTest.

Usage: chat_templates.py OUT.json

For each template of TEMPLATES (the chat_template strings of Qwen2.5-Instruct, Meta-Llama-3-Instruct and
Mistral-7B-Instruct-v0.2 as their tokenizer_config.json hold them) and each conversation of CONVERSATIONS
it accepts, OUT.json gets transformers' apply_chat_template(tokenize=False) text, with and without
add_generation_prompt. The tokenizer is a stub (a word-level vocabulary of its special tokens): only its
bos_token and eos_token reach the templates. toolkit/train's sft_chat.py imports TEMPLATES and
CONVERSATIONS from here.
"""
import json
import sys

from tokenizers import Tokenizer, models
from transformers import PreTrainedTokenizerFast

QWEN25 = (
    "{%- if tools %}\n    {{- '<|im_start|>system\\n' }}\n    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- messages[0]['content'] }}\n    {%- else %}\n"
    "        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}\n    {%- endif %}\n"
    "    {{- \"\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided"
    " with function signatures within <tools></tools> XML tags:\\n<tools>\" }}\n    {%- for tool in tools %}\n"
    "        {{- \"\\n\" }}\n        {{- tool | tojson }}\n    {%- endfor %}\n"
    "    {{- \"\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within"
    " <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\\"name\\\": <function-name>, \\\"arguments\\\":"
    " <args-json-object>}\\n</tool_call><|im_end|>\\n\" }}\n{%- else %}\n"
    "    {%- if messages[0]['role'] == 'system' %}\n"
    "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n    {%- else %}\n"
    "        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}\n"
    "    {%- endif %}\n{%- endif %}\n{%- for message in messages %}\n"
    "    {%- if (message.role == \"user\") or (message.role == \"system\" and not loop.first) or (message.role =="
    " \"assistant\" and not message.tool_calls) %}\n"
    "        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}\n"
    "    {%- elif message.role == \"assistant\" %}\n        {{- '<|im_start|>' + message.role }}\n"
    "        {%- if message.content %}\n            {{- '\\n' + message.content }}\n        {%- endif %}\n"
    "        {%- for tool_call in message.tool_calls %}\n            {%- if tool_call.function is defined %}\n"
    "                {%- set tool_call = tool_call.function %}\n            {%- endif %}\n"
    "            {{- '\\n<tool_call>\\n{\"name\": \"' }}\n            {{- tool_call.name }}\n"
    "            {{- '\", \"arguments\": ' }}\n            {{- tool_call.arguments | tojson }}\n"
    "            {{- '}\\n</tool_call>' }}\n        {%- endfor %}\n        {{- '<|im_end|>\\n' }}\n"
    "    {%- elif message.role == \"tool\" %}\n"
    "        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != \"tool\") %}\n"
    "            {{- '<|im_start|>user' }}\n        {%- endif %}\n        {{- '\\n<tool_response>\\n' }}\n"
    "        {{- message.content }}\n        {{- '\\n</tool_response>' }}\n"
    "        {%- if loop.last or (messages[loop.index0 + 1].role != \"tool\") %}\n"
    "            {{- '<|im_end|>\\n' }}\n        {%- endif %}\n    {%- endif %}\n{%- endfor %}\n"
    "{%- if add_generation_prompt %}\n    {{- '<|im_start|>assistant\\n' }}\n{%- endif %}\n")
LLAMA3 = ("{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' +"
          " message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0"
          " %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}"
          "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}")
MISTRAL = ("{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
           "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}"
           "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
           "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}"
           "{% else %}{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}")
TEMPLATES = {"qwen2.5": QWEN25, "llama-3": LLAMA3, "mistral": MISTRAL}

CONVERSATIONS = [
    [{"role": "system", "content": "You sort mail."}, {"role": "user", "content": "Subject: You won a prize!"},
     {"role": "assistant", "content": "spam"}],
    [{"role": "user", "content": "  The state of the union?  "}, {"role": "assistant", "content": "Strong, we hope."},
     {"role": "user", "content": "Naïve café — 2024 numbers: 1,234,567!"}, {"role": "assistant", "content": "Noted.\n"}],
    [{"role": "user", "content": "Say hi"}],
]


BOS, EOS = "<|begin_of_text|>", "<|end_of_text|>"


def main(out_file):
    stub = Tokenizer(models.WordLevel({"[UNK]": 0, BOS: 1, EOS: 2}, unk_token="[UNK]"))
    tok = PreTrainedTokenizerFast(tokenizer_object=stub, bos_token=BOS, eos_token=EOS, unk_token="[UNK]")
    cases = []
    for name, template in TEMPLATES.items():
        for conv in CONVERSATIONS:
            if name == "mistral" and conv[0]["role"] == "system":
                continue
            for gen in (False, True):
                text = tok.apply_chat_template(conv, chat_template=template, tokenize=False, add_generation_prompt=gen)
                cases.append({"template": name, "messages": conv, "add_generation_prompt": gen, "text": text})
    with open(out_file, "w", encoding="utf-8") as f:
        json.dump({"templates": TEMPLATES, "bos_token": BOS, "eos_token": EOS, "cases": cases}, f)


if __name__ == "__main__":
    main(sys.argv[1])
