/**
 * The few words the client itself shows, in the visitor's language.
 *
 * The language comes from `navigator.languages`; {@link addMessages} lets
 * another module add a language or new keys (e.g. for a new input type).
 * @module webio/i18n
 */

/** @type {Record<string, Record<string, string>>} */
const MESSAGES = {
  en: {
    submit: 'Submit', reset: 'Reset', cancel: 'Cancel', close: 'Close', input: 'Input',
    reconnecting: 'Connection lost. Reconnecting…',
    lost: 'Connection lost. This session has ended.',
    ended: 'This session has ended.',
    reload: 'Reload page',
    unsupported_output: 'Unsupported output: {type}',
    unsupported_input: 'Unsupported input: {type}',
    too_large: 'Your last message was too large for the server and was not delivered.',
  },
  zh: {
    submit: '提交', reset: '重置', cancel: '取消', close: '关闭', input: '输入',
    reconnecting: '连接已断开，正在重新连接…',
    lost: '连接已断开，会话已结束。',
    ended: '会话已结束。',
    reload: '重新加载页面',
    unsupported_output: '不支持的输出类型：{type}',
    unsupported_input: '不支持的输入类型：{type}',
  },
  'zh-TW': {
    submit: '送出', reset: '重設', cancel: '取消', close: '關閉', input: '輸入',
    reconnecting: '連線已中斷，正在重新連線…',
    lost: '連線已中斷，工作階段已結束。',
    ended: '工作階段已結束。',
    reload: '重新載入頁面',
    unsupported_output: '不支援的輸出類型：{type}',
    unsupported_input: '不支援的輸入類型：{type}',
  },
  ru: {
    submit: 'Отправить', reset: 'Сбросить', cancel: 'Отмена', close: 'Закрыть', input: 'Ввод',
    reconnecting: 'Соединение потеряно. Переподключение…',
    lost: 'Соединение потеряно. Сеанс завершён.',
    ended: 'Сеанс завершён.',
    reload: 'Перезагрузить страницу',
    unsupported_output: 'Неподдерживаемый вывод: {type}',
    unsupported_input: 'Неподдерживаемое поле ввода: {type}',
  },
  uk: {
    submit: 'Надіслати', reset: 'Скинути', cancel: 'Скасувати', close: 'Закрити', input: 'Введення',
    reconnecting: 'Зʼєднання втрачено. Повторне підключення…',
    lost: 'Зʼєднання втрачено. Сеанс завершено.',
    ended: 'Сеанс завершено.',
    reload: 'Перезавантажити сторінку',
    unsupported_output: 'Непідтримуваний вивід: {type}',
    unsupported_input: 'Непідтримуване поле введення: {type}',
  },
  de: {
    submit: 'Absenden', reset: 'Zurücksetzen', cancel: 'Abbrechen', close: 'Schließen', input: 'Eingabe',
    reconnecting: 'Verbindung unterbrochen. Verbindung wird wiederhergestellt…',
    lost: 'Verbindung unterbrochen. Die Sitzung ist beendet.',
    ended: 'Die Sitzung ist beendet.',
    reload: 'Seite neu laden',
    unsupported_output: 'Nicht unterstützte Ausgabe: {type}',
    unsupported_input: 'Nicht unterstützte Eingabe: {type}',
  },
  fr: {
    submit: 'Envoyer', reset: 'Réinitialiser', cancel: 'Annuler', close: 'Fermer', input: 'Saisie',
    reconnecting: 'Connexion perdue. Reconnexion…',
    lost: 'Connexion perdue. La session est terminée.',
    ended: 'La session est terminée.',
    reload: 'Recharger la page',
    unsupported_output: 'Sortie non prise en charge : {type}',
    unsupported_input: 'Champ non pris en charge : {type}',
  },
  es: {
    submit: 'Enviar', reset: 'Restablecer', cancel: 'Cancelar', close: 'Cerrar', input: 'Entrada',
    reconnecting: 'Conexión perdida. Reconectando…',
    lost: 'Conexión perdida. La sesión ha terminado.',
    ended: 'La sesión ha terminado.',
    reload: 'Recargar la página',
    unsupported_output: 'Salida no compatible: {type}',
    unsupported_input: 'Campo no compatible: {type}',
  },
  pt: {
    submit: 'Enviar', reset: 'Redefinir', cancel: 'Cancelar', close: 'Fechar', input: 'Entrada',
    reconnecting: 'Conexão perdida. Reconectando…',
    lost: 'Conexão perdida. A sessão terminou.',
    ended: 'A sessão terminou.',
    reload: 'Recarregar a página',
    unsupported_output: 'Saída não suportada: {type}',
    unsupported_input: 'Campo não suportado: {type}',
  },
  it: {
    submit: 'Invia', reset: 'Reimposta', cancel: 'Annulla', close: 'Chiudi', input: 'Input',
    reconnecting: 'Connessione persa. Riconnessione in corso…',
    lost: 'Connessione persa. La sessione è terminata.',
    ended: 'La sessione è terminata.',
    reload: 'Ricarica la pagina',
    unsupported_output: 'Output non supportato: {type}',
    unsupported_input: 'Campo non supportato: {type}',
  },
  ja: {
    submit: '送信', reset: 'リセット', cancel: 'キャンセル', close: '閉じる', input: '入力',
    reconnecting: '接続が切れました。再接続しています…',
    lost: '接続が切れました。セッションは終了しました。',
    ended: 'セッションは終了しました。',
    reload: 'ページを再読み込み',
    unsupported_output: '未対応の出力: {type}',
    unsupported_input: '未対応の入力: {type}',
  },
  ko: {
    submit: '제출', reset: '초기화', cancel: '취소', close: '닫기', input: '입력',
    reconnecting: '연결이 끊어졌습니다. 다시 연결하는 중…',
    lost: '연결이 끊어졌습니다. 세션이 종료되었습니다.',
    ended: '세션이 종료되었습니다.',
    reload: '페이지 새로고침',
    unsupported_output: '지원되지 않는 출력: {type}',
    unsupported_input: '지원되지 않는 입력: {type}',
  },
};

let current = 'en';

/**
 * Pick the best language we have for a list of BCP 47 tags.
 * @param {readonly string[]} tags in order of preference
 * @returns {string} a key of the message table; `"en"` if none fits
 */
export function resolveLanguage(tags) {
  for (const raw of tags) {
    if (typeof raw !== 'string' || !raw) continue;
    const tag = raw.toLowerCase();
    const exact = Object.keys(MESSAGES).find((key) => key.toLowerCase() === tag);
    if (exact) return exact;
    const primary = tag.split('-')[0];
    if (primary === 'zh') {
      return /-(tw|hk|mo|hant)\b/.test(tag) ? 'zh-TW' : 'zh';
    }
    if (MESSAGES[primary]) return primary;
  }
  return 'en';
}

/**
 * Choose the language of the client's words.
 * @param {string | readonly string[]} tags
 * @returns {string} the language chosen
 */
export function setLanguage(tags) {
  current = resolveLanguage(typeof tags === 'string' ? [tags] : tags);
  return current;
}

/** @returns {string} the language in use */
export function getLanguage() {
  return current;
}

/**
 * Add or override messages of one language.
 * @param {string} lang e.g. `"en"`, `"zh-TW"`
 * @param {Record<string, string>} messages
 */
export function addMessages(lang, messages) {
  MESSAGES[lang] = { ...(MESSAGES[lang] || {}), ...messages };
}

/**
 * Translate a key; `{name}` placeholders are filled from `vars`.
 * Falls back to English, then to the key itself.
 * @param {string} key
 * @param {Record<string, unknown>} [vars]
 * @returns {string}
 */
export function t(key, vars) {
  const text = (MESSAGES[current] && MESSAGES[current][key]) || MESSAGES.en[key] || key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
}

setLanguage(typeof navigator !== 'undefined' ? (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]) : []);
