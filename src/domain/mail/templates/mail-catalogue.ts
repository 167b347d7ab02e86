/**
 * Every sentence Casebook writes in an e-mail, per language. `{name}` placeholders are filled by
 * `translate`; values are inserted as text (the HTML renderer escapes them afterwards).
 * English is complete and the fallback for any missing key or language; French and Spanish are complete too.
 */
const en = {
  'common.greeting': 'Hello {name},',
  'common.greetingAnonymous': 'Hello,',
  'common.caseSubject': '[#{number}] {subject}',
  'common.replyAbove': 'Reply to this email to add to case #{number}. Please keep [#{number}] in the subject.',
  'common.viewCase': 'View the case',
  'common.automatic': 'This is an automatic message from Casebook.',
  'common.signature': '— {name}',
  'reply.intro': '{agentName} replied to your case #{number}:',
  'acknowledgement.body': 'We have received your request and opened case #{number}: “{subject}”.',
  'acknowledgement.next': 'An agent will answer you by email. To add information, simply reply to this email.',
  'sla.subject.warning': '[#{number}] SLA warning ({threshold} %): {subject}',
  'sla.subject.breach': '[#{number}] SLA breached: {subject}',
  'sla.body.warning': 'The {clock} target of case #{number} is {threshold} % consumed.',
  'sla.body.breach': 'The {clock} target of case #{number} has been breached.',
  'sla.due': 'Due: {dueAt}',
  'sla.clock.first-response': 'first response',
  'sla.clock.next-response': 'next response',
  'sla.clock.resolution': 'resolution',
  'panic.subject': '[#{number}] PANIC — {organization}: {subject}',
  'panic.body': '{organization} pressed the panic button on case #{number} ({priority}).',
  'panic.description': 'What the customer wrote:',
  'tam.subject': '[#{number}] New case for {organization}: {subject}',
  'tam.body': '{organization}, an organisation you follow, opened case #{number} ({priority}): “{subject}”.',
  'tam.environment': 'Environment (version {version}):',
  'escalation.subject': '[#{number}] Escalated to {toLine}: {subject}',
  'escalation.body': 'Case #{number} was escalated from {fromLine} to {toLine}.',
  'escalation.reason': 'Reason:',
  'magicLink.subject': 'Your sign-in link for Casebook',
  'magicLink.body': 'Use the link below to sign in to Casebook. It expires in {expiresInMinutes} minutes and works once.',
  'magicLink.action': 'Sign in',
  'magicLink.ignore': 'If you did not ask for this link, you can ignore this email.',
};

export type MailMessageKey = keyof typeof en;

const fr: Partial<Record<MailMessageKey, string>> = {
  'common.greeting': 'Bonjour {name},',
  'common.greetingAnonymous': 'Bonjour,',
  'common.caseSubject': '[#{number}] {subject}',
  'common.replyAbove': 'Répondez à cet e-mail pour compléter le dossier n° {number}. Merci de garder [#{number}] dans l’objet.',
  'common.viewCase': 'Voir le dossier',
  'common.automatic': 'Ceci est un message automatique de Casebook.',
  'common.signature': '— {name}',
  'reply.intro': '{agentName} a répondu à votre dossier n° {number} :',
  'acknowledgement.body': 'Nous avons bien reçu votre demande et ouvert le dossier n° {number} : « {subject} ».',
  'acknowledgement.next': 'Un agent vous répondra par e-mail. Pour ajouter des informations, répondez simplement à cet e-mail.',
  'sla.subject.warning': '[#{number}] Alerte SLA ({threshold} %) : {subject}',
  'sla.subject.breach': '[#{number}] SLA dépassé : {subject}',
  'sla.body.warning': 'L’objectif de {clock} du dossier n° {number} est consommé à {threshold} %.',
  'sla.body.breach': 'L’objectif de {clock} du dossier n° {number} est dépassé.',
  'sla.due': 'Échéance : {dueAt}',
  'sla.clock.first-response': 'première réponse',
  'sla.clock.next-response': 'réponse suivante',
  'sla.clock.resolution': 'résolution',
  'panic.subject': '[#{number}] PANIQUE — {organization} : {subject}',
  'panic.body': '{organization} a déclenché le bouton panique sur le dossier n° {number} ({priority}).',
  'panic.description': 'Ce que le client a écrit :',
  'tam.subject': '[#{number}] Nouveau dossier pour {organization} : {subject}',
  'tam.body': '{organization}, une organisation que vous suivez, a ouvert le dossier n° {number} ({priority}) : « {subject} ».',
  'tam.environment': 'Environnement (version {version}) :',
  'escalation.subject': '[#{number}] Escaladé en {toLine} : {subject}',
  'escalation.body': 'Le dossier n° {number} a été escaladé de {fromLine} en {toLine}.',
  'escalation.reason': 'Motif :',
  'magicLink.subject': 'Votre lien de connexion à Casebook',
  'magicLink.body': 'Utilisez le lien ci-dessous pour vous connecter à Casebook. Il expire dans {expiresInMinutes} minutes et ne sert qu’une fois.',
  'magicLink.action': 'Se connecter',
  'magicLink.ignore': 'Si vous n’avez pas demandé ce lien, ignorez cet e-mail.',
};

const es: Partial<Record<MailMessageKey, string>> = {
  'common.greeting': 'Hola, {name}:',
  'common.greetingAnonymous': 'Hola:',
  'common.caseSubject': '[#{number}] {subject}',
  'common.replyAbove': 'Responda a este correo para agregar información al caso #{number}. Mantenga [#{number}] en el asunto.',
  'common.viewCase': 'Ver el caso',
  'common.automatic': 'Este es un mensaje automático de Casebook.',
  'common.signature': '— {name}',
  'reply.intro': '{agentName} respondió a su caso #{number}:',
  'acknowledgement.body': 'Recibimos su solicitud y abrimos el caso #{number}: “{subject}”.',
  'acknowledgement.next': 'Un agente le responderá por correo. Para agregar información, simplemente responda a este correo.',
  'sla.subject.warning': '[#{number}] Aviso de SLA ({threshold} %): {subject}',
  'sla.subject.breach': '[#{number}] SLA incumplido: {subject}',
  'sla.body.warning': 'Se ha consumido el {threshold} % del objetivo de {clock} del caso #{number}.',
  'sla.body.breach': 'Se incumplió el objetivo de {clock} del caso #{number}.',
  'sla.due': 'Vencimiento: {dueAt}',
  'sla.clock.first-response': 'primera respuesta',
  'sla.clock.next-response': 'siguiente respuesta',
  'sla.clock.resolution': 'resolución',
  'panic.subject': '[#{number}] PÁNICO — {organization}: {subject}',
  'panic.body': '{organization} pulsó el botón de pánico en el caso #{number} ({priority}).',
  'panic.description': 'Lo que escribió el cliente:',
  'tam.subject': '[#{number}] Nuevo caso de {organization}: {subject}',
  'tam.body': '{organization}, una organización que usted sigue, abrió el caso #{number} ({priority}): “{subject}”.',
  'tam.environment': 'Entorno (versión {version}):',
  'escalation.subject': '[#{number}] Escalado a {toLine}: {subject}',
  'escalation.body': 'El caso #{number} se escaló de {fromLine} a {toLine}.',
  'escalation.reason': 'Motivo:',
  'magicLink.subject': 'Su enlace de acceso a Casebook',
  'magicLink.body': 'Use el enlace de abajo para iniciar sesión en Casebook. Caduca en {expiresInMinutes} minutos y funciona una sola vez.',
  'magicLink.action': 'Iniciar sesión',
  'magicLink.ignore': 'Si no pidió este enlace, puede ignorar este correo.',
};

const catalogues: Record<string, Partial<Record<MailMessageKey, string>>> = { en, fr, es };

export const MAIL_LOCALES = Object.keys(catalogues);

/** The catalogue language for a locale tag (`fr-CA` → `fr`), English when we do not ship it. */
export function mailLanguage(locale: string | null | undefined): string {
  const language = (locale ?? 'en').toLowerCase().split(/[-_]/)[0] ?? 'en';
  return language in catalogues ? language : 'en';
}

export type Translate = (key: MailMessageKey, values?: Record<string, string | number>) => string;

export function translatorFor(locale: string | null | undefined): Translate {
  const catalogue = catalogues[mailLanguage(locale)] ?? en;
  return (key, values = {}) => {
    const pattern = catalogue[key] ?? en[key];
    return pattern.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
  };
}
